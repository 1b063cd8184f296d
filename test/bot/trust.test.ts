import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPORT_MARKER } from "../../core/report/index.js";
import { normalEvidence, SAMPLE_CHAMPION_FILES, sampleReport } from "../report/fixtures.js";
import {
  BASE,
  deliver,
  example,
  GATES_CONFIG,
  type Harness,
  HEAD,
  prComment,
  seedChampion,
  startHarness,
  zip,
} from "./helpers.js";

const RUN = 4711;
const reportZip = (report: unknown) => zip({ "report.json": JSON.stringify(report) });
/** A report whose gates all pass against the registry's champion v3 (what a forger would upload). */
const good = (overrides = {}) =>
  sampleReport({
    metrics: { accuracy: 0.95, f1_macro: 0.89, log_loss: 0.29 },
    // f1_macro 0.8903 -> 0.89: the bot re-judges the raw evidence, so a delta carries it.
    deltas: {
      f1_macro: { delta: -0.0003, ci: [-0.004, 0.003], evidence: normalEvidence(-0.0003, 0.002, 150) },
    },
    ...overrides,
  });

function workflowRun(facts: Record<string, unknown> = {}) {
  const payload = example("workflow_run", "completed", 2);
  Object.assign(payload.workflow_run, { id: RUN, head_sha: HEAD, head_branch: "feature", ...facts });
  payload.workflow_run.pull_requests = [{ ...payload.workflow_run.pull_requests[0], number: 1 }];
  return payload;
}

describe("the trust model: a report never vouches for itself", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
  });
  afterEach(async () => {
    await h.close();
  });
  const judge = async (report: unknown, facts: Record<string, unknown> = {}) => {
    h.gh.artifacts.set(RUN, reportZip(report));
    await deliver(h.bot, "workflow_run", workflowRun(facts));
    await h.bot.idle();
    // A copy: a later verdict updates the same check run.
    return structuredClone(h.gh.checkRuns.at(-1));
  };

  it("passes an honest report against the registry's champion", async () => {
    const check = await judge(good());

    expect([check?.conclusion, check?.output.title]).toEqual(["success", "All 2 gates passed"]);
  });

  it("ignores a run of another workflow file, and any event but pull_request", async () => {
    await judge(good(), { path: ".github/workflows/evil.yml" });
    await judge(good(), { event: "pull_request_target" });

    expect(h.gh.checkRuns).toEqual([]);
    expect(h.gh.comments).toEqual([]);
  });

  it("github.workflows.evaluate on the base branch names the one workflow that counts", async () => {
    h.gh.files.set(`${BASE}:modelgate.yml`, `${GATES_CONFIG}github: { workflows: { evaluate: gate.yml } }\n`);

    const other = await judge(good());
    // Another attempt of the run: the first one's work is done (bot/work.ts) even though it was ignored.
    const named = await judge(good(), { path: ".github/workflows/gate.yml", run_attempt: 2 });

    expect(other).toBeUndefined();
    expect(named?.conclusion).toBe("success");
  });

  it("a pull request that changes its workflow is unverified until /modelgate verify runs the base's", async () => {
    h.gh.pullFiles.set(1, ["data/test.csv", ".github/workflows/modelgate.yml"]);
    h.gh.roles.set("mona", "maintain");

    const unverified = await judge(good());
    await deliver(h.bot, "issue_comment", prComment("/modelgate verify", "mona"));
    await h.bot.idle();
    // The dispatched run: the base branch's workflow, on main, evaluating the pull request's head.
    // Its report names the pull request and the commit the dispatch pinned (actions/evaluate/dispatch.ts).
    const verified = await judge(
      good({
        run: { ...sampleReport().run!, commit: HEAD },
        pullRequest: { number: 1, sha: HEAD, command: "verify" },
      }),
      { event: "workflow_dispatch", head_branch: "main", head_sha: BASE, pull_requests: [], run_attempt: 2 },
    );

    expect([unverified?.conclusion, unverified?.output.title]).toEqual([
      "failure",
      "Unverified: this pull request changes workflow code",
    ]);
    expect(h.gh.dispatches).toEqual([
      {
        workflow: "modelgate.yml",
        ref: "main",
        inputs: { command: "verify", sha: HEAD, pull_request: "1" },
      },
    ]);
    expect([verified?.head_sha, verified?.conclusion]).toEqual([HEAD, "success"]);
  });

  it("a dispatched run from the pull request's own branch does not count", async () => {
    await judge(
      good({
        run: { ...sampleReport().run!, commit: HEAD },
        pullRequest: { number: 1, sha: HEAD, command: "verify" },
      }),
      { event: "workflow_dispatch", head_branch: "feature", pull_requests: [] },
    );

    expect(h.gh.checkRuns).toEqual([]);
  });

  it("a report that omits the champion fails every delta gate while the registry has one", async () => {
    const { champion: _c, baseline: _b, ...omitted } = good({ deltas: {} });

    const check = await judge(omitted);

    expect(check?.conclusion).toBe("failure");
    const comment = h.gh.comments[0]!.body;
    expect(comment).toContain("champion is v3, but the report compared with no recorded champion");
  });

  it("a report that claims another champion's files fails its delta gates", async () => {
    const check = await judge(
      good({
        baseline: { kind: "registry", version: 3, files: [{ path: "model.json", sha256: "f".repeat(64) }] },
      }),
    );

    expect(check?.conclusion).toBe("failure");
    expect(h.gh.comments[0]!.body).toContain("do not match the registry");
  });

  it("a champion that moved since the run makes the check stale", async () => {
    const check = await judge(
      good({ baseline: { kind: "registry", version: 2, files: [...SAMPLE_CHAMPION_FILES] } }),
    );

    expect([check?.conclusion, check?.output.title]).toEqual([
      "failure",
      "Stale: the champion moved from v2 to v3",
    ]);
    expect(h.gh.comments[0]!.body).toContain("re-run the workflow");
  });

  it("without a champion in the registry, champion metrics a report brings are not evidence", async () => {
    h.gh.files.delete(`${BASE}:.modelgate/models/churn/aliases.json`);
    const claimed = good({ baseline: { kind: "first" } });

    const check = await judge(claimed);

    expect(check?.conclusion).toBe("success");
    expect(h.gh.comments[0]!.body).toContain("no champion to compare");
    expect(h.gh.comments[0]!.body).not.toMatch(/\|\s*Champion\s*\|/);
  });

  it("changed test data is said first and its delta gates wait for a maintainer's accept", async () => {
    h.gh.files.delete(`${BASE}:.modelgate/models/churn/versions/3/version.json`);
    seedChampion(h.gh, BASE);
    const version = JSON.parse(h.gh.files.get(`${BASE}:.modelgate/models/churn/versions/3/version.json`)!);
    version.dataFingerprints = { test: "sha256:olderrows" };
    h.gh.files.set(`${BASE}:.modelgate/models/churn/versions/3/version.json`, JSON.stringify(version));

    const check = await judge(good());
    const first = h.gh.comments[0]!.body.split("\n").slice(0, 3).join("\n");
    h.gh.files.set(`${BASE}:modelgate.yml`, `${GATES_CONFIG}github: { testDataChange: note }\n`);
    const noted = await judge(good(), { run_attempt: 2 });

    expect(first).toContain(`${REPORT_MARKER}\n> [!WARNING]\n> **The test data changed** since champion v3`);
    expect(check?.conclusion).toBe("failure");
    expect(check?.actions.map((a) => a.identifier)).toEqual(["accept_regression"]);
    expect(noted?.conclusion).toBe("success");
  });
});
