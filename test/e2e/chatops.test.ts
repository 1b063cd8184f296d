import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Octokit } from "octokit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { githubStore, lineageFromModelDir } from "../../core/registry/index.js";
import { REPORT_MARKER } from "../../core/report/index.js";
import { mergeShards, readShards } from "../../core/tune/index.js";
import { deliver, example, type Harness, prComment, startHarness } from "../bot/helpers.js";
import { type FakeResults, startFakeResults, unzip } from "../fake-github/artifacts.js";
import { installGitData } from "../fake-github/git-data.js";
import { runAction } from "../helpers/action.js";
import { churnWorkspace, inRepo, OWNER, REPO, type Workspace } from "./helpers.js";

const PR = 12;
const WRITER = "octo-writer";
const run = promisify(execFile);

type Dispatch = { workflow: string; ref: string; inputs: Record<string, string> };

/**
 * Chat-ops end to end on one fake GitHub: the real bot server over HTTP, the bundled actions run as the
 * runner runs the example workflows' steps, the registry on the fake's Git data API. Each command goes
 * from a pull-request comment through the dispatch to the report on that pull request's comment and check.
 */
describe("chat-ops end to end: commands report back to their pull request; the merge queue", () => {
  let h: Harness;
  let results: FakeResults;
  let ws: Workspace;
  let nextRun = 9000;

  const jobEnv = (extra: Record<string, string> = {}) => ({
    GITHUB_API_URL: h.gh.fake.url,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_TOKEN: h.gh.token,
    ACTIONS_RUNTIME_TOKEN: results.token,
    ACTIONS_RESULTS_URL: results.url,
    GITHUB_SERVER_URL: "https://github.com",
    ...extra,
  });
  const store = () =>
    githubStore({
      octokit: new Octokit({ auth: h.gh.token, baseUrl: h.gh.fake.url, retry: { enabled: false } }),
      owner: OWNER,
      repo: REPO,
    });
  /** What the release workflow does once a model is merged: a new registry version, made champion. */
  async function publish(modelDir: string): Promise<number> {
    const registry = store();
    const version = await registry.register("churn", modelDir, await lineageFromModelDir(modelDir));
    await registry.setAlias("churn", "champion", version.version);
    return version.version;
  }
  const git = async (...args: string[]) =>
    (
      await run("git", ["-c", "commit.gpgsign=false", ...args], {
        cwd: ws.dir,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "e2e",
          GIT_AUTHOR_EMAIL: "e@x",
          GIT_COMMITTER_NAME: "e2e",
          GIT_COMMITTER_EMAIL: "e@x",
        },
      })
    ).stdout.trim();

  async function comment(body: string, login = WRITER) {
    const payload = inRepo(prComment(body, login));
    payload.issue.number = PR;
    await deliver(h.bot, "issue_comment", payload);
    await h.bot.idle();
    return payload;
  }

  /** The steps of examples/workflows/pull-request.yml on a workflow_dispatch, then the bot's workflow_run. */
  async function runDispatched(dispatch: Dispatch) {
    const runId = nextRun++;
    const options = {
      workspace: ws.dir,
      event: { inputs: dispatch.inputs },
      env: jobEnv({
        GITHUB_EVENT_NAME: "workflow_dispatch",
        GITHUB_SHA: ws.base,
        GITHUB_RUN_ID: String(runId),
      }),
    };
    expect(await git("rev-parse", "HEAD")).toBe(dispatch.inputs.sha);
    const train = await runAction("train", { params: dispatch.inputs.params || "{}" }, options);
    expect(train.code, train.stdout + train.stderr).toBe(0);
    const evaluate = await runAction(
      "evaluate",
      { model: train.outputs.model!, champion: dispatch.inputs.champion || "champion" },
      options,
    );
    expect([0, 1], evaluate.stdout + evaluate.stderr).toContain(evaluate.code);
    const zip = results.artifacts.get("modelgate-report")!;
    const report = JSON.parse((await unzip(zip))["report.json"]!);
    h.gh.artifacts.set(runId, zip);
    // A dispatched run runs on the base branch: its head_sha is main's and it lists no pull requests.
    const completed = inRepo(example("workflow_run", "completed", 2));
    Object.assign(completed.workflow_run, {
      id: runId,
      name: "modelgate",
      path: ".github/workflows/modelgate.yml",
      event: "workflow_dispatch",
      conclusion: evaluate.code === 0 ? "success" : "failure",
      head_sha: ws.base,
      head_branch: "main",
      pull_requests: [],
    });
    await deliver(h.bot, "workflow_run", completed);
    await h.bot.idle();
    return { runId, train, report };
  }

  const reportComment = () => h.gh.comments.filter((c) => c.issue === PR && c.body.startsWith(REPORT_MARKER));
  const checkOf = (sha: string) => h.gh.checkRuns.filter((c) => c.head_sha === sha);

  beforeAll(async () => {
    [h, results, ws] = await Promise.all([
      startHarness({ openapi: true }),
      startFakeResults(),
      churnWorkspace(),
    ]);
    installGitData(h.gh.fake, OWNER, REPO);
    h.gh.pulls.clear();
    h.gh.pulls.set(PR, {
      number: PR,
      state: "open",
      head: { sha: ws.head, ref: "feature" },
      base: { sha: ws.base, ref: "main" },
    });
    h.gh.files.set(`${ws.base}:modelgate.yml`, ws.baseConfig);
    h.gh.files.set("refs/heads/main:modelgate.yml", ws.baseConfig);
    h.gh.checkSuites.set(ws.head, "2020-01-01T00:00:00Z");
    h.gh.roles.set(WRITER, "write");
  });
  afterEach(() => {
    expect(h.gh.fake.unmatched()).toEqual([]);
    // Every request the bot and the actions sent, and every answer, as GitHub's OpenAPI description has them.
    expect(h.gh.fake.violations).toEqual([]);
  });
  afterAll(async () => {
    await Promise.all([h?.close(), results?.close(), ws && rm(ws.dir, { recursive: true, force: true })]);
  });

  it("/modelgate retrain epochs=5 trains 5 epochs and ends with a report on that pull request's comment and check", async () => {
    await comment("/modelgate retrain epochs=5");
    expect(h.gh.dispatches).toEqual([
      {
        workflow: "modelgate.yml",
        ref: "main",
        inputs: { command: "retrain", sha: ws.head, pull_request: String(PR), params: '{"epochs":5}' },
      },
    ]);

    const { runId, train, report } = await runDispatched(h.gh.dispatches[0]!);

    expect(JSON.parse(train.outputs.metrics!).epochs).toBe(5);
    expect(report.pullRequest).toEqual({ number: PR, sha: ws.head, command: "retrain" });
    expect(report.champion).toBeUndefined();
    expect(reportComment()).toHaveLength(1);
    expect(reportComment()[0]!.body).toContain(`Commit ${ws.head.slice(0, 7)}`);
    expect(checkOf(ws.head).map((c) => [c.status, c.conclusion, c.external_id])).toEqual([
      ["completed", "success", `modelgate:${runId}`],
    ]);
    await publish(train.outputs.model!);
  });

  it("/modelgate compare v1 evaluates against registry version 1 and updates that pull request's comment and check", async () => {
    h.gh.dispatches.length = 0;
    await comment("/modelgate compare v1");
    expect(h.gh.dispatches.map((d) => [d.workflow, d.inputs.champion, d.inputs.sha])).toEqual([
      ["modelgate.yml", "v1", ws.head],
    ]);

    const { runId, report } = await runDispatched(h.gh.dispatches[0]!);

    expect(report.champion.version).toBe("v1");
    expect(report.pullRequest).toMatchObject({ number: PR, command: "compare" });
    expect(reportComment()).toHaveLength(1);
    expect(reportComment()[0]!.body).toContain("Champion: version v1");
    // A re-judge creates a new check run (GitHub only appends annotations): the newest is the verdict.
    const latest = checkOf(ws.head).at(-1)!;
    expect([latest.status, latest.external_id]).toEqual(["completed", `modelgate:${runId}`]);
  });

  it("refuses over-large settings with the bound, in the bot and again in the train action", async () => {
    h.gh.dispatches.length = 0;
    await comment("/modelgate retrain epochs=100000000 hidden=4096,4096,4096,4096,4096,4096,4096,4096");

    expect(h.gh.dispatches).toEqual([]);
    expect(h.gh.comments.at(-1)!.body).toBe(
      `@${WRITER} \`/modelgate retrain\` did not run: epochs: at most 1000.`,
    );
    const train = await runAction(
      "train",
      { params: '{"hidden":[4096]}' },
      { workspace: ws.dir, env: jobEnv() },
    );
    expect(train.code).toBe(2);
    expect(train.stdout + train.stderr).toContain("hidden.0: at most 1024 units a layer");
  });

  it("the evaluate step of a dispatched run refuses a workspace that is not at the pinned SHA", async () => {
    const inputs = { command: "retrain", sha: ws.base, pull_request: String(PR) };
    const evaluate = await runAction(
      "evaluate",
      { model: "no-model-needed" },
      { workspace: ws.dir, event: { inputs }, env: jobEnv({ GITHUB_EVENT_NAME: "workflow_dispatch" }) },
    );

    expect(evaluate.code).toBe(2);
    expect(evaluate.stdout + evaluate.stderr).toContain(
      `the workspace holds ${ws.head.slice(0, 7)}, but the dispatch pinned ${ws.base.slice(0, 7)}`,
    );
  });

  it("refuses a command when the head was pushed between the comment and the dispatch", async () => {
    h.gh.dispatches.length = 0;
    const pushed = "9".repeat(40);
    const pull = h.gh.pulls.get(PR)!;
    // Written a minute ago; the push landed half a minute ago; the bot gets to the comment now.
    const payload = inRepo(prComment("/modelgate retrain", WRITER));
    payload.issue.number = PR;
    payload.comment.created_at = new Date(Date.now() - 60_000).toISOString();
    pull.head.sha = pushed;
    h.gh.checkSuites.set(pushed, new Date(Date.now() - 30_000).toISOString());
    await deliver(h.bot, "issue_comment", payload);
    await h.bot.idle();

    expect(h.gh.dispatches).toEqual([]);
    expect(h.gh.comments.at(-1)!.body).toContain("the head moved to 9999999 after your comment");
    pull.head.sha = ws.head;
  });

  it("/modelgate tune trials=3 runs 3 trials across the sweep's four shards", async () => {
    h.gh.dispatches.length = 0;
    await comment("/modelgate tune trials=3");
    const [dispatch] = h.gh.dispatches;
    expect([dispatch?.workflow, dispatch?.inputs.trials]).toEqual(["modelgate-sweep.yml", "3"]);

    const out = await mkdtemp(path.join(tmpdir(), "mg-sweep-"));
    const ran: string[] = [];
    for (const shard of [1, 2, 3, 4]) {
      const tune = await runAction(
        "tune",
        {
          trials: dispatch!.inputs.trials!,
          shard: `${shard}/4`,
          sweep: "sweep-e2e",
          out: path.join(out, String(shard)),
        },
        {
          workspace: ws.dir,
          event: { inputs: dispatch!.inputs },
          env: jobEnv({ GITHUB_EVENT_NAME: "workflow_dispatch" }),
        },
      );
      expect(tune.code, tune.stdout + tune.stderr).toBe(0);
      ran.push(tune.outputs.trials!);
    }
    const sweep = mergeShards(await readShards(["1", "2", "3", "4"].map((s) => path.join(out, s))));

    expect(ran).toEqual(["1", "1", "1", "0"]);
    expect(sweep.trials.map((t) => t.index).sort()).toEqual([0, 1, 2]);
    await rm(out, { recursive: true, force: true });
  });

  it("two pull requests queued back to back are each judged against the champion of that moment", async () => {
    // A weak champion to start from, so the first group clearly beats it.
    const weak = await runAction(
      "train",
      { params: '{"epochs":1,"hidden":[2],"learningRate":0.0005}' },
      { workspace: ws.dir, env: jobEnv() },
    );
    const weakVersion = await publish(weak.outputs.model!);
    // The second pull request makes a much worse model (one tiny layer, one epoch).
    // Each group's commit is main with the queued pull requests merged: a commit of its own.
    await git("commit", "-q", "--allow-empty", "-m", `merge group: #${PR}`);
    const good = await git("rev-parse", "HEAD");
    const config = path.join(ws.dir, "modelgate.yml");
    const text = await readFile(config, "utf8");
    await writeFile(
      config,
      text
        .replace("hidden: [16, 8]", "hidden: [1]")
        .replace("epochs: 4", "epochs: 1")
        .replace("learningRate: 0.003", "learningRate: 0.00001"),
    );
    await git("commit", "-qam", `merge group: #${PR} and #${PR + 1}, a worse model`);
    const worse = await git("rev-parse", "HEAD");

    const judged: { sha: string; champion: unknown; passed: boolean }[] = [];
    for (const [number, sha] of [
      [PR, good],
      [PR + 1, worse],
    ] as const) {
      await git("checkout", "-q", sha);
      const branch = `gh-readonly-queue/main/pr-${number}-${sha}`;
      const requested = inRepo(example("merge_group", "checks_requested"));
      Object.assign(requested.merge_group, {
        head_sha: sha,
        head_ref: `refs/heads/${branch}`,
        base_ref: "refs/heads/main",
      });
      await deliver(h.bot, "merge_group", requested);
      await h.bot.idle();
      expect(checkOf(sha).map((c) => c.status)).toEqual(["queued"]);

      // examples/workflows/pull-request.yml on merge_group: train, evaluate against the champion now.
      const runId = nextRun++;
      const options = {
        workspace: ws.dir,
        event: { merge_group: requested.merge_group },
        env: jobEnv({ GITHUB_EVENT_NAME: "merge_group", GITHUB_SHA: sha, GITHUB_RUN_ID: String(runId) }),
      };
      const train = await runAction("train", {}, options);
      const evaluate = await runAction(
        "evaluate",
        { model: train.outputs.model!, champion: "champion" },
        options,
      );
      const zip = results.artifacts.get("modelgate-report")!;
      const report = JSON.parse((await unzip(zip))["report.json"]!);
      h.gh.artifacts.set(runId, zip);
      const completed = inRepo(example("workflow_run", "completed", 2));
      Object.assign(completed.workflow_run, {
        id: runId,
        name: "modelgate",
        path: ".github/workflows/modelgate.yml",
        event: "merge_group",
        conclusion: evaluate.code === 0 ? "success" : "failure",
        head_sha: sha,
        head_branch: branch,
        pull_requests: [],
      });
      await deliver(h.bot, "workflow_run", completed);
      await h.bot.idle();
      const check = checkOf(sha)[0]!;
      judged.push({ sha, champion: report.champion?.version, passed: check.conclusion === "success" });
      // The queue merges a passing group; the release workflow publishes its model as the champion.
      if (check.conclusion === "success") await publish(train.outputs.model!);
    }

    expect(judged).toEqual([
      { sha: good, champion: `v${weakVersion}`, passed: true },
      { sha: worse, champion: `v${weakVersion + 1}`, passed: false },
    ]);
    expect(checkOf(worse)[0]!.output.summary).toContain("f1");
    expect(checkOf(worse)[0]!.annotations.map((a) => (a as { title: string }).title)).toContain(
      "gate f1_macro",
    );
  });
});
