import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadModel, predict } from "../../core/model/index.js";
import { loadTable } from "../../core/pipeline/dataset.js";
import { REPORT_MARKER } from "../../core/report/index.js";
import { deliver, example, type Harness, prComment, startHarness } from "../bot/helpers.js";
import { type FakeResults, startFakeResults, unzip } from "../fake-github/artifacts.js";
import { type FakeGitData, installGitData } from "../fake-github/git-data.js";
import { type FakeIssuesPulls, installIssuesPulls } from "../fake-github/issues-pulls.js";
import { runAction } from "../helpers/action.js";
import {
  type Asset,
  churnWorkspace,
  inRepo,
  installRelease,
  OWNER,
  RELEASE_TAG,
  REPO,
  type Served,
  seedMain,
  serveAlias,
  shiftLive,
  type Workspace,
} from "./helpers.js";

// installIssuesPulls numbers its issues and pull requests from 1: keep the feature pull request apart.
const PR = 12;
const RUN = 289782451;
const MAINTAINER = "mona";

/**
 * One model's life on one fake GitHub, every door real: the bot server over HTTP, the bundled actions
 * run as the runner runs them, the CLI's prediction server. Each step starts from what the last left.
 */
describe("lifecycle of examples/churn: pull request, report, promote, publish, serve, drift", () => {
  let h: Harness;
  let results: FakeResults;
  let ws: Workspace;
  let git: FakeGitData;
  let issues: FakeIssuesPulls;
  let assets: Map<number, Asset>;
  let served: Served | undefined;
  // Carried from step to step, as the workflow carries step outputs.
  let opened: ReturnType<typeof example>;
  let modelDir = "";
  let reportFile = "";
  let artifact: Buffer | undefined;
  let dispatched: { workflow: string; ref: string; inputs: Record<string, string> } | undefined;

  /** What a workflow job on this repository gets: the API, the repository, the job's token. */
  const jobEnv = (extra: Record<string, string> = {}) => ({
    GITHUB_API_URL: h.gh.fake.url,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    // The fake accepts one token; in a workflow this is github.token.
    GITHUB_TOKEN: h.gh.token,
    ...extra,
  });

  beforeAll(async () => {
    [h, results, ws] = await Promise.all([startHarness(), startFakeResults(), churnWorkspace()]);
    // The bot's routes come first on this server, so GET /pulls is answered from h.gh.pulls (with its
    // token check); issues and the retraining pull request live in `issues`.
    git = installGitData(h.gh.fake, OWNER, REPO);
    issues = installIssuesPulls(h.gh.fake, OWNER, REPO);
    assets = installRelease(h.gh.fake);
    await seedMain(h.gh.fake, h.gh.token, { "modelgate.yml": ws.baseConfig });
    h.gh.pulls.clear();
    h.gh.pulls.set(PR, {
      number: PR,
      state: "open",
      head: { sha: ws.head, ref: "feature" },
      base: { sha: ws.base, ref: "main" },
    });
    h.gh.files.set(`${ws.base}:modelgate.yml`, ws.baseConfig);
    // The head arrived before any comment on it (commands are refused for a head pushed later).
    h.gh.checkSuites.set(ws.head, "2020-01-01T00:00:00Z");
    h.gh.roles.set(MAINTAINER, "maintain");
  });
  afterEach(() => {
    expect(h.gh.fake.unmatched()).toEqual([]);
  });
  afterAll(async () => {
    await served?.stop();
    await Promise.all([h?.close(), results?.close(), ws && rm(ws.dir, { recursive: true, force: true })]);
  });

  it("1. a pull request opens: the modelgate check is queued on its head", async () => {
    opened = inRepo(example("pull_request", "opened", 1));
    opened.number = PR;
    Object.assign(opened.pull_request, { number: PR });
    Object.assign(opened.pull_request.head, { sha: ws.head, ref: "feature" });
    Object.assign(opened.pull_request.base, { sha: ws.base, ref: "main" });

    const status = await deliver(h.bot, "pull_request", opened);
    await h.bot.idle();

    expect(status).toBe(200);
    expect(h.gh.checkRuns.map((c) => [c.name, c.head_sha, c.status])).toEqual([
      ["modelgate", ws.head, "queued"],
    ]);
  });

  it("2. the pull-request workflow validates, trains, evaluates and uploads the report", async () => {
    const options = {
      workspace: ws.dir,
      event: opened,
      env: {
        ACTIONS_RUNTIME_TOKEN: results.token,
        ACTIONS_RESULTS_URL: results.url,
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_SHA: ws.head,
        GITHUB_RUN_ID: String(RUN),
        // evaluate reads the champion from the github registry store (none yet: "First model").
        ...jobEnv(),
      },
    };

    const validate = await runAction("validate", {}, options);
    const train = await runAction("train", {}, options);
    modelDir = train.outputs.model ?? "";
    const evaluate = await runAction("evaluate", { model: modelDir }, options);
    reportFile = evaluate.outputs.report ?? "";

    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.outputs.passed).toBe("true");
    expect(train.code, train.stdout).toBe(0);
    expect(evaluate.code, evaluate.stdout).toBe(0);
    expect(evaluate.outputs.passed).toBe("true");
    artifact = results.artifacts.get("modelgate-report");
    const files = await unzip(artifact!);
    expect(Object.keys(files).sort()).toEqual(["report.html", "report.json", "report.md"]);
    const report = JSON.parse(files["report.json"]!);
    expect(report).toMatchObject({ model: "churn", passed: true, run: { commit: ws.head, dirty: false } });
    // The pull request's own config dropped a gate; evaluate read main's (the base's) and kept both.
    expect(report.gates.map((g: { metric: string }) => g.metric)).toEqual(["accuracy", "f1_macro"]);
    expect(evaluate.stdout).toContain(`at the pull request's base (${ws.base.slice(0, 7)})`);
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0.7);
  });

  it("3. the completed run's report becomes one comment and a green check, judged by main's gates", async () => {
    h.gh.artifacts.set(RUN, artifact!);
    const run = inRepo(example("workflow_run", "completed", 2));
    Object.assign(run.workflow_run, {
      id: RUN,
      name: "modelgate",
      path: ".github/workflows/modelgate.yml",
      event: "pull_request",
      conclusion: "success",
      head_sha: ws.head,
      head_branch: "feature",
      pull_requests: [{ ...run.workflow_run.pull_requests[0], number: PR }],
    });

    const status = await deliver(h.bot, "workflow_run", run);
    await h.bot.idle();

    expect(status).toBe(200);
    const reports = h.gh.comments.filter((c) => c.body.startsWith(REPORT_MARKER));
    expect(reports.map((c) => c.issue)).toEqual([PR]);
    expect(h.gh.comments).toHaveLength(1);
    expect(reports[0]!.body).toContain(
      `Commit ${ws.head.slice(0, 7)}; gates from \`modelgate.yml\` at base ${ws.base.slice(0, 7)}`,
    );
    // Both of main's gates, not the one the pull request's config kept.
    expect(
      h.gh.checkRuns.map((c) => [c.head_sha, c.status, c.conclusion, c.external_id, c.output.title]),
    ).toEqual([[ws.head, "completed", "success", `modelgate:${RUN}`, "All 2 gates passed"]]);
  });

  it("4. a maintainer's /modelgate promote dispatches the publish workflow with the head SHA", async () => {
    const command = inRepo(prComment("/modelgate promote", MAINTAINER));
    command.issue.number = PR;

    const status = await deliver(h.bot, "issue_comment", command);
    await h.bot.idle();

    expect(status).toBe(200);
    expect(h.gh.reactions.filter((r) => r.comment === command.comment.id).map((r) => r.content)).toEqual([
      "eyes",
      "rocket",
    ]);
    expect(h.gh.dispatches).toEqual([
      {
        workflow: "modelgate-release.yml",
        ref: "main",
        inputs: { command: "promote", sha: ws.head, pull_request: String(PR) },
      },
    ]);
    dispatched = h.gh.dispatches[0];
  });

  it("5. the publish workflow uploads the model and its card and moves champion on the registry branch", async () => {
    // examples/workflows/release.yml passes no tag on workflow_dispatch, and publish finds none in
    // that event (see the report): the tag is given here as a release-triggered run would have it.
    const publish = await runAction(
      "publish",
      { model: modelDir, tag: RELEASE_TAG, report: reportFile },
      {
        workspace: ws.dir,
        event: { inputs: dispatched!.inputs },
        env: jobEnv({
          GITHUB_EVENT_NAME: "workflow_dispatch",
          GITHUB_SHA: ws.head,
          GITHUB_ACTOR: MAINTAINER,
        }),
      },
    );

    expect(publish.code, publish.stdout + publish.stderr).toBe(0);
    expect(publish.outputs).toMatchObject({
      version: "1",
      changed: "true",
      assets: "churn-model.tar.gz,churn-model-card.md",
    });
    const uploaded = new Map([...assets.values()].map((a) => [a.name, a.data]));
    expect([...uploaded.keys()].sort()).toEqual(["churn-model-card.md", "churn-model.tar.gz"]);
    const tar = gunzipSync(uploaded.get("churn-model.tar.gz")!).toString("latin1");
    for (const file of ["model.json", "weights.bin", "modelgate.json"]) expect(tar).toContain(file);
    expect(uploaded.get("churn-model-card.md")!.toString()).toContain("# Model card: churn v1");
    const registry = git.files("modelgate-registry");
    expect(JSON.parse(registry.get("models/churn/aliases.json")!.toString()).aliases).toEqual({
      champion: 1,
    });
    // The pull request is merged once its model is out.
    h.gh.pulls.get(PR)!.state = "closed";
  });

  it("6. the champion served from the registry predicts a row as evaluate scores it", async () => {
    const { table } = await loadTable("data/test.csv", { cwd: ws.dir });
    const row = { columns: table.columns, data: table.data.map((column) => column.slice(0, 1)) };
    const instance = Object.fromEntries(
      table.columns
        .map((name, c) => [name, table.data[c]![0]] as const)
        .filter(([name]) => name !== "customer_id" && name !== "churned"),
    );
    const model = await loadModel(path.resolve(ws.dir, modelDir));
    const expected = predict(model, row);
    if (expected.task !== "classification") throw new Error("churn is a classification model");

    served = await serveAlias(ws.dir, jobEnv());
    const response = await fetch(`${served.url}/v1/models/churn:predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ instances: [instance] }),
    });
    const body = (await response.json()) as {
      predictions: { label: string; probabilities: Record<string, number> }[];
    };

    expect([response.status, served.version]).toEqual([200, "1"]);
    const [prediction] = body.predictions;
    const best = expected.probabilities[0]! >= expected.probabilities[1]! ? 0 : 1;
    expect(prediction!.label).toBe(expected.classes[best]);
    expect(Object.keys(prediction!.probabilities).sort()).toEqual([...expected.classes].sort());
    expected.classes.forEach((name, c) => {
      expect(prediction!.probabilities[name]).toBeCloseTo(expected.probabilities[c]!, 6);
    });
  });

  it("7. drift on shifted live data opens the drift issue and a retraining pull request", async () => {
    const live = path.join(ws.dir, "data/live.csv");
    await writeFile(live, shiftLive(await readFile(live, "utf8")));

    const drift = await runAction(
      "drift",
      { current: "data/live.csv", retrain: "true", token: h.gh.token },
      {
        workspace: ws.dir,
        event: { repository: { default_branch: "main" } },
        env: jobEnv({ GITHUB_EVENT_NAME: "schedule" }),
      },
    );

    expect(drift.code, drift.stdout + drift.stderr).toBe(1);
    expect(drift.outputs.drift).toBe("true");
    expect(issues.issues.map((i) => [i.title, i.state])).toEqual([["Data drift detected in churn", "open"]]);
    expect(issues.issues[0]!.body).toContain("<!-- modelgate:drift:churn -->");
    expect(drift.outputs.issue).toBe(
      `https://github.com/${OWNER}/${REPO}/issues/${issues.issues[0]!.number}`,
    );
    expect(issues.pulls.map((p) => [p.head, p.base, p.state, p.title])).toEqual([
      ["modelgate/retrain-churn", "main", "open", "Retrain churn after drift"],
    ]);
    expect(drift.outputs["pull-request"]).toBe(
      `https://github.com/${OWNER}/${REPO}/pull/${issues.pulls[0]!.number}`,
    );
    const branch = [...git.files("modelgate/retrain-churn").keys()].sort();
    expect(branch).toEqual([
      "modelgate.yml",
      "models/churn/data-index.json",
      "models/churn/drift-report.md",
      "models/churn/model.json",
      "models/churn/modelgate.json",
      "models/churn/profile.json",
      "models/churn/weights.bin",
    ]);
    expect([...git.files("main").keys()]).toEqual(["modelgate.yml"]);
  });
});
