import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { Octokit } from "octokit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { githubStore, lineageFromModelDir } from "../../core/registry/index.js";
import { REPORT_MARKER } from "../../core/report/index.js";
import { example, type Payload, PRIVATE_KEY, prComment, SECRET, sign, zip } from "../bot/helpers.js";
import { type FakeResults, startFakeResults, unzip } from "../fake-github/artifacts.js";
import { type FakeGitData, installGitData } from "../fake-github/git-data.js";
import { type GitHubState, installGitHubState } from "../fake-github/github-state.js";
import { openApiChecker } from "../fake-github/openapi.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";
import { repoRoot, runAction } from "../helpers/action.js";
import {
  churnWorkspace,
  inRepo,
  installRelease,
  OWNER,
  RELEASE_TAG,
  REPO,
  type Workspace,
} from "./helpers.js";

const WEBHOOKS = "/api/github/webhooks";
const git = promisify(execFile);

/** A commit on the pull request's branch that edits its workflow file (what the bot must not trust). */
async function commitWorkflowEdit(dir: string): Promise<string> {
  const file = path.join(dir, ".github/workflows/modelgate.yml");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, "on: pull_request\njobs: { modelgate: { runs-on: ubuntu-latest, steps: [] } }\n");
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "e2e",
    GIT_AUTHOR_EMAIL: "e@x",
    GIT_COMMITTER_NAME: "e2e",
    GIT_COMMITTER_EMAIL: "e@x",
  };
  await git("git", ["-c", "commit.gpgsign=false", "add", ".github"], { cwd: dir, env });
  await git("git", ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "edit the workflow"], {
    cwd: dir,
    env,
  });
  return (await git("git", ["rev-parse", "HEAD"], { cwd: dir })).stdout.trim();
}

interface BotProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

/** `node bin/modelgate.js bot` (the bundled dist/cli.js) as an operator starts it, against the fake GitHub. */
async function startBotProcess(fake: FakeGitHub, appId: number): Promise<BotProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, "bin/modelgate.js"), "bot"], {
    env: {
      PATH: process.env.PATH ?? "",
      APP_ID: String(appId),
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      PORT: "0",
      HOST: "127.0.0.1",
      GHE_HOST: fake.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "info",
    },
  });
  let out = "";
  child.stderr!.on("data", (chunk) => (out += chunk));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const found = /listening on (http:\/\/[0-9.:]+)\//.exec(out);
      if (found) resolve(found[1]!);
    });
    exited.then(() => reject(new Error(`the bot exited: ${out}`)));
    setTimeout(() => reject(new Error(`the bot did not start in 60 s: ${out}`)), 60_000).unref();
  });
  return {
    url,
    child,
    log: () => out,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function deliverTo(bot: BotProcess, event: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${bot.url}${WEBHOOKS}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": sign(body),
    },
    body,
  });
  await response.text();
  return response.status;
}

/** Waits (bounded) until the bot has done what `done` looks for; the bot runs its work after answering. */
async function until<T>(what: string, done: () => T | undefined, bot: BotProcess): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = done();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; bot log:\n${bot.log().slice(-3000)}`);
}

/**
 * A merge gate a fork cannot forge, end to end: the bot as a child process on the bundled dist, the
 * dist actions as the runner runs them, and a fake GitHub that holds every request and answer to
 * GitHub's OpenAPI description.
 */
describe("trust: the modelgate check cannot be forged", () => {
  let fake: FakeGitHub;
  let gh: GitHubState;
  let git: FakeGitData;
  let results: FakeResults;
  let ws: Workspace;
  let bot: BotProcess;
  const reports = new Map<string, Record<string, unknown>>();
  const models = new Map<string, string>();
  let pr = 0;
  let run = 9000;

  const jobEnv = (extra: Record<string, string> = {}) => ({
    GITHUB_API_URL: fake.url,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_TOKEN: gh.token,
    ACTIONS_RUNTIME_TOKEN: results.token,
    ACTIONS_RESULTS_URL: results.url,
    GITHUB_SERVER_URL: "https://github.com",
    ...extra,
  });

  /** A pull request on main whose head is `sha`, changing `files`. */
  function openPull(sha: string, files: string[] = ["data/train.csv"]): number {
    const number = ++pr;
    gh.pulls.set(number, {
      number,
      state: "open",
      head: { sha, ref: `feature-${number}` },
      base: { sha: ws.base, ref: "main" },
    });
    gh.pullFiles.set(number, files);
    // GitHub saw the head arrive (its check suite) before anyone commented on it.
    gh.checkSuites.set(sha, new Date(Date.now() - 60_000).toISOString());
    return number;
  }

  /** The workflow run completes: the bot gets the signed workflow_run delivery for its artifact. */
  async function completeRun(
    number: number,
    report: Record<string, unknown>,
    facts: Record<string, unknown> = {},
  ): Promise<number> {
    const id = ++run;
    gh.artifacts.set(id, zip({ "report.json": JSON.stringify(report) }));
    const payload: Payload = inRepo(example("workflow_run", "completed", 2));
    Object.assign(payload.workflow_run, {
      id,
      name: "modelgate",
      path: ".github/workflows/modelgate.yml",
      event: "pull_request",
      conclusion: "success",
      head_sha: gh.pulls.get(number)!.head.sha,
      head_branch: `feature-${number}`,
      pull_requests: [{ ...payload.workflow_run.pull_requests[0], number }],
      ...facts,
    });
    expect(await deliverTo(bot, "workflow_run", payload)).toBe(200);
    return id;
  }

  const checkOf = (sha: string) => gh.checkRuns.filter((c) => c.head_sha === sha).at(-1);
  const judged = (sha: string, runId: number) =>
    until(
      `the check on ${sha.slice(0, 7)}`,
      () => {
        const check = checkOf(sha);
        return check?.status === "completed" && check.external_id === `modelgate:${runId}`
          ? check
          : undefined;
      },
      bot,
    );
  const commentOn = (number: number) =>
    gh.comments.find((c) => c.issue === number && c.body.startsWith(REPORT_MARKER))?.body ?? "";

  /** The pull-request workflow's jobs, as the runner runs the dist actions. */
  async function workflow(name: string, sha: string, params: string, dispatch?: Record<string, string>) {
    const event: Record<string, string> = {};
    if (dispatch) {
      // A workflow_dispatch job as the runner starts it: the event's inputs in GITHUB_EVENT_PATH.
      const file = path.join(ws.dir, "..", `event-${run + 1}.json`);
      await writeFile(file, JSON.stringify({ inputs: dispatch }));
      Object.assign(event, { GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_EVENT_PATH: file });
    }
    const options = {
      workspace: ws.dir,
      env: jobEnv({ GITHUB_SHA: sha, GITHUB_RUN_ID: String(run + 1), ...event }),
    };
    const train = await runAction("train", { params }, options);
    expect(train.code, train.stdout + train.stderr).toBe(0);
    results.artifacts.clear();
    const evaluate = await runAction("evaluate", { model: train.outputs.model! }, options);
    const uploaded = results.artifacts.get("modelgate-report");
    expect(uploaded, evaluate.stdout + evaluate.stderr).toBeDefined();
    const report = JSON.parse((await unzip(uploaded!))["report.json"]!);
    reports.set(name, report);
    models.set(name, path.resolve(ws.dir, train.outputs.model!));
    return { evaluate, report };
  }

  beforeAll(async () => {
    fake = await startFakeGitHub({
      openapi: openApiChecker(),
      // The artifact zip's blob storage sits behind GitHub's redirect, outside its API.
      exempt: (p) => p.startsWith("/_blobs/"),
    });
    gh = installGitHubState(fake);
    git = installGitData(fake, OWNER, REPO);
    installRelease(fake);
    [results, ws] = await Promise.all([startFakeResults(), churnWorkspace()]);
    gh.files.set(`${ws.base}:modelgate.yml`, ws.baseConfig);
    bot = await startBotProcess(fake, gh.appId);
  }, 120_000);
  afterEach(() => {
    expect(fake.unmatched()).toEqual([]);
    expect(fake.violations).toEqual([]);
  });
  afterAll(async () => {
    await bot?.stop();
    await Promise.all([fake?.close(), results?.close(), ws && rm(ws.dir, { recursive: true, force: true })]);
  });

  it("PR 1: the first model gets a green check and says there is nothing to compare", async () => {
    const number = openPull(ws.head);
    const { evaluate, report } = await workflow("pr1", ws.head, "{}");

    const id = await completeRun(number, report);
    const check = await judged(ws.head, id);

    expect(evaluate.code).toBe(0);
    expect(report.baseline).toEqual({ kind: "first" });
    expect([check.conclusion, check.output.title]).toEqual(["success", "All 2 gates passed"]);
    expect(commentOn(number)).toContain("**First model: no comparison.**");
    // The evaluate job's token only read the registry branch (contents: read is enough).
    const registryCalls = fake.requests.filter((r) => /\/git\//.test(r.path));
    expect(registryCalls.map((r) => r.method).filter((m) => m !== "GET")).toEqual([]);
  });

  it("merge -> publish: the model becomes champion v1 on the github registry branch", async () => {
    const publish = await runAction(
      "publish",
      { model: models.get("pr1")!, tag: RELEASE_TAG },
      {
        workspace: ws.dir,
        event: {},
        env: jobEnv({ GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_SHA: ws.head }),
      },
    );

    expect(publish.code, publish.stdout + publish.stderr).toBe(0);
    const aliases = JSON.parse(git.files("modelgate-registry").get("models/churn/aliases.json")!.toString());
    expect(aliases.aliases).toEqual({ champion: 1 });
  }, 120_000);

  it("PR 2: a worse model is compared with v1 and its check is not green", async () => {
    const sha = "2".repeat(40);
    const number = openPull(sha);
    // A network that barely trained: far below v1 on the same rows.
    const { evaluate, report } = await workflow(
      "pr2",
      sha,
      JSON.stringify({ epochs: 1, learningRate: 0.00001 }),
    );

    const id = await completeRun(number, report);
    const check = await judged(sha, id);

    // The pull request's own config dropped the f1 gate; its evaluate job may pass. The bot uses main's.
    expect(evaluate.code).toBeLessThanOrEqual(1);
    expect(report.baseline).toMatchObject({ kind: "registry", version: 1 });
    expect(check.conclusion).toBe("failure");
    expect(commentOn(number)).toContain("Champion: version v1");
    expect(commentOn(number)).toMatch(/f1&#95;macro \(primary\) \| [0-9.]+ \| [0-9.]+ \| \S+ \|/);
  });

  it("a data PR: its comment shows rows added, removed and changed and the shifted column before the metrics", async () => {
    const sha = "5".repeat(40);
    const number = openPull(sha);
    const file = path.join(ws.dir, "data/train.csv");
    const original = await readFile(file, "utf8");
    const [header, ...rows] = original.trimEnd().split("\n");
    const tenure = header!.split(",").indexOf("tenure_months");
    // The first 50 customers leave, the next 1,000 have 30 more months of tenure, 100 new ones arrive.
    const changed = rows.slice(50).map((row, i) => {
      if (i >= 1000) return row;
      const cells = row.split(",");
      cells[tenure] = String(Number(cells[tenure]) + 30);
      return cells.join(",");
    });
    const added = rows.slice(0, 100).map((row, i) => row.replace(/^C\d+/, `C9${String(i).padStart(4, "0")}`));
    await writeFile(file, `${[header, ...changed, ...added].join("\n")}\n`);
    try {
      const { report } = await workflow("data", sha, "{}");
      await judged(sha, await completeRun(number, report));
    } finally {
      await writeFile(file, original);
    }
    const comment = commentOn(number);

    expect(comment).toContain("| train | 4,000 → 4,050 | 100 | 50 | 1,000 |");
    expect(comment).toContain("| test | 1,000 → 1,000 | 0 | 0 | 0 |");
    expect(comment).toMatch(/- \*\*tenure&#95;months\*\*: mean [0-9.]+ → [0-9.]+ &#40;\+0\.\d+ std&#41;/);
    const at = (text: string) => comment.indexOf(text);
    expect(at("#### Data changed since the champion")).toBeGreaterThan(0);
    expect(at("#### Data changed since the champion")).toBeLessThan(at("#### Metrics"));
  });

  /** PR 1's report with a perfect score: what a forger uploads. */
  const forged = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...reports.get("pr1")!,
    metrics: { ...(reports.get("pr1")!.metrics as object), accuracy: 0.99, f1_macro: 0.99 },
    passed: true,
    ...changes,
  });

  it("a fork's run of another workflow file never gets a check", async () => {
    const sha = "3".repeat(40);
    const number = openPull(sha);

    await completeRun(number, forged(), { path: ".github/workflows/evil.yml", pull_requests: [] });
    await until(
      "the bot to log the ignored run",
      () => (/evil\.yml/.test(bot.log()) ? true : undefined),
      bot,
    );

    expect(checkOf(sha)).toBeUndefined();
    expect(commentOn(number)).toBe("");
  });

  it("a report that omits the champion fails the delta gate", async () => {
    const sha = "4".repeat(40);
    const number = openPull(sha);
    const { champion: _c, baseline: _b, ...omitted } = forged({ deltas: {} });

    const check = await judged(sha, await completeRun(number, omitted));

    expect(check.conclusion).toBe("failure");
    expect(commentOn(number)).toContain("champion is v1, but the report compared with no recorded champion");
  });

  it("a pull request that edits its workflow is unverified until /modelgate verify runs main's workflow", async () => {
    const sha = await commitWorkflowEdit(ws.dir);
    const number = openPull(sha, [".github/workflows/modelgate.yml"]);
    gh.roles.set("mona", "maintain");

    const unverified = structuredClone(await judged(sha, await completeRun(number, forged())));
    const command = inRepo(prComment("/modelgate verify", "mona"));
    command.issue.number = number;
    expect(await deliverTo(bot, "issue_comment", command)).toBe(200);
    const dispatched = await until("the verify dispatch", () => gh.dispatches.at(-1), bot);
    // The dispatched run: main's workflow file, on main, checking out the pull request's head.
    const { report } = await workflow("verify", dispatched.inputs.sha!, "{}", dispatched.inputs);
    const id = await completeRun(number, report, {
      event: "workflow_dispatch",
      head_branch: "main",
      head_sha: ws.base,
      pull_requests: [],
    });
    const verified = await judged(sha, id);

    expect([unverified.conclusion, unverified.output.title]).toEqual([
      "failure",
      "Unverified: this pull request changes workflow code",
    ]);
    expect(dispatched).toEqual({
      workflow: "modelgate.yml",
      ref: "main",
      inputs: { command: "verify", sha, pull_request: String(number) },
    });
    expect(report.run.commit).toBe(sha);
    expect([verified.conclusion, verified.output.title]).toEqual(["success", "All 2 gates passed"]);
  });

  it("a report that claims a stale champion is Stale once the champion moved", async () => {
    const sha = "6".repeat(40);
    const number = openPull(sha);
    // PR 2's honest report compared with v1; then v2 becomes the champion.
    const store = githubStore({
      octokit: new Octokit({ auth: gh.token, baseUrl: fake.url, retry: { enabled: false } }),
      owner: OWNER,
      repo: REPO,
    });
    const v2 = await store.register(
      "churn",
      models.get("pr2")!,
      await lineageFromModelDir(models.get("pr2")!),
    );
    await store.setAlias("churn", "champion", v2.version);

    const check = await judged(sha, await completeRun(number, { ...reports.get("pr2")!, passed: true }));

    expect([check.conclusion, check.output.title]).toEqual([
      "failure",
      "Stale: the champion moved from v1 to v2",
    ]);
  });
});
