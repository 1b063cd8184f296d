import { afterEach, describe, expect, test } from "vitest";
import { compareProfiles, type DriftResult, renderDriftMarkdown } from "../../core/drift/index.js";
import { issueMarker, monitorDrift, retrainBranch } from "../../core/monitor/index.js";
import { silentLogger } from "../../core/ports.js";
import { categories, normals, profileOf } from "../drift/helpers.js";
import { type GitHubHarness, OWNER, REPO, startHarness } from "./harness.js";

const target = { owner: OWNER, repo: REPO };

function result(shifted: string[]): DriftResult {
  const side = (seed: number, moved: string[]) =>
    profileOf({
      a: normals(3000, seed, moved.includes("a") ? 1 : 0),
      b: normals(3000, seed + 1, moved.includes("b") ? 1 : 0),
      c: categories(3000, seed + 2, ["x", "y"], [1, 1]),
    });
  return compareProfiles(side(1, []), side(10, shifted), { threshold: 0.3 });
}

describe("drift monitoring on GitHub", () => {
  let h: GitHubHarness;
  afterEach(async () => {
    expect(h.fake.unmatched()).toEqual([]);
    await h.fake.close();
  });

  const run = (r: DriftResult, retrain?: Parameters<typeof monitorDrift>[1]["retrain"]) =>
    monitorDrift(r, {
      client: h.octokit,
      target,
      model: "churn",
      report: renderDriftMarkdown(r),
      logger: silentLogger,
      ...(retrain ? { retrain } : {}),
    });

  test("the issue cycle: opened, left alone, updated with a comment, closed when drift clears", async () => {
    h = await startHarness();

    const opened = await run(result(["a"]));
    const same = await run(result(["a"]));
    const changed = await run(result(["a", "b"]));
    const cleared = await run(result([]));
    const quiet = await run(result([]));

    expect([opened, same, changed, cleared, quiet].map((o) => o.issue?.action)).toEqual([
      "opened",
      "unchanged",
      "updated",
      "closed",
      "none",
    ]);
    expect(h.github.issues).toHaveLength(1);
    const [issue] = h.github.issues;
    expect(issue).toMatchObject({
      number: 1,
      title: "Data drift detected in churn",
      state: "closed",
      state_reason: "completed",
    });
    expect(issue!.body.startsWith(issueMarker("churn"))).toBe(true);
    expect(issue!.body).toContain("| `b` | wasserstein |");
    expect(issue!.comments.map((c) => c.split("\n")[0])).toEqual(["The drift changed.", "Drift cleared."]);
  });

  test("another model's drift issue is not touched", async () => {
    h = await startHarness();
    await monitorDrift(result(["a"]), {
      client: h.octokit,
      target,
      model: "other",
      report: "x",
      logger: silentLogger,
    });

    const outcome = await run(result(["a"]));

    expect(outcome.issue?.action).toBe("opened");
    expect(h.github.issues.map((i) => i.title)).toEqual([
      "Data drift detected in other",
      "Data drift detected in churn",
    ]);
  });

  test("retraining: one pull request from its own branch with the model files; none while it is open", async () => {
    h = await startHarness();
    let trainings = 0;
    const retrain = {
      base: "main",
      train: async () => {
        trainings++;
        return {
          files: [
            { path: "models/churn/model.json", content: Buffer.from(`{"run": ${trainings}}`) },
            { path: "models/churn/drift-report.md", content: Buffer.from("# report\n") },
          ],
          body: "Retrained on reference + current.",
        };
      },
    };

    const first = await run(result(["a", "b"]), retrain);
    const second = await run(result(["a", "b"]), retrain);

    expect(first.pull).toMatchObject({ action: "opened", number: 2, branch: retrainBranch("churn") });
    expect(second.pull).toMatchObject({ action: "exists", number: 2 });
    expect(trainings).toBe(1);
    expect(h.github.pulls).toMatchObject([{ head: "modelgate/retrain-churn", base: "main", state: "open" }]);
    const files = h.git.files("modelgate/retrain-churn");
    expect([...files.keys()].sort()).toEqual([
      "README.md",
      "models/churn/drift-report.md",
      "models/churn/model.json",
    ]);
    expect(files.get("models/churn/model.json")!.toString()).toBe('{"run": 1}');
    expect(h.git.refs.get("refs/heads/main")).toBe(h.main);
  });

  test("a branch left by a closed pull request is moved, and a new pull request opened", async () => {
    h = await startHarness();
    const retrain = {
      base: "main",
      train: async () => ({ files: [{ path: "m.json", content: Buffer.from("1") }], body: "b" }),
    };
    await run(result(["a", "b"]), retrain);
    h.github.pulls[0]!.state = "closed";

    const again = await run(result(["a", "b"]), retrain);

    expect(again.pull).toMatchObject({ action: "opened", number: 3 });
    expect(h.fake.requests.filter((r) => r.method === "PATCH" && r.path.includes("/git/refs/"))).toHaveLength(
      1,
    );
  });

  test("no drift: no training, no pull request", async () => {
    h = await startHarness();

    const outcome = await run(result([]), { base: "main", train: async () => expect.unreachable() });

    expect(outcome).toEqual({ issue: { action: "none" } });
    expect(h.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/${OWNER}/${REPO}/issues`,
    ]);
  });
});
