import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { runInActions } from "../../bot/actions.js";
import { parseBotEnv } from "../../bot/env.js";
import { botCommand } from "../../cli/commands/bot.js";
import { describeError, UserError } from "../../core/errors.js";
import { installGitHubState } from "../fake-github/github-state.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";
import { tempDir } from "../helpers/temp.js";
import { sampleReport } from "../report/fixtures.js";
import { BASE, example, GATES_CONFIG, HEAD, PRIVATE_KEY, prComment, SECRET, zip } from "./helpers.js";

const VALID = { APP_ID: "123456", PRIVATE_KEY, WEBHOOK_SECRET: SECRET };

async function refusal(env: Record<string, string | undefined>) {
  const error = await parseBotEnv(env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return describeError(error);
}

describe("the bot's environment", () => {
  it("refuses to start without WEBHOOK_SECRET rather than use Probot's 'development'", async () => {
    const { WEBHOOK_SECRET: _, ...env } = VALID;

    expect(await refusal(env)).toEqual({
      exitCode: 2,
      message: "WEBHOOK_SECRET: missing: expected the secret set in the GitHub App's webhook settings",
    });
  });

  it("names a malformed APP_ID, PORT or key", async () => {
    const messages = [
      (await refusal({ ...VALID, APP_ID: "12abc" })).message,
      (await refusal({ ...VALID, PORT: "http" })).message,
      (await refusal({ ...VALID, PRIVATE_KEY: "not a key" })).message,
    ];

    expect(messages.map((m) => m.split(":")[0])).toEqual(["APP_ID", "PORT", "PRIVATE_KEY"]);
  });

  it("accepts a base64 key and points the API at GHE_HOST", async () => {
    const settings = await parseBotEnv({
      ...VALID,
      PRIVATE_KEY: Buffer.from(PRIVATE_KEY).toString("base64"),
      GHE_HOST: "ghe.example.com:8443",
    });

    expect([settings.appId, settings.privateKey, settings.baseUrl, settings.port]).toEqual([
      123456,
      PRIVATE_KEY.trim(),
      "https://ghe.example.com:8443/api/v3",
      3000,
    ]);
  });

  it("`modelgate bot` exits 2 naming the variable before listening", async () => {
    const ctx = { io: { stdout: process.stdout, stderr: process.stderr, env: { APP_ID: "1" }, cwd: "." } };

    const error = await botCommand
      .run([], {}, { ...ctx, logger: undefined!, json: false, configFile: undefined })
      .catch((e: unknown) => e);

    expect(describeError(error).exitCode).toBe(2);
    expect(describeError(error).message).toMatch(/^WEBHOOK_SECRET: /);
  });
});

describe("inside a workflow (no hosting)", () => {
  let fake: FakeGitHub;
  afterEach(async () => {
    await fake.close();
    fake.verify();
  });

  async function runEvent(name: string, payload: unknown, token: string) {
    const dir = await tempDir("modelgate-bot-");
    const file = path.join(dir, "event.json");
    await writeFile(file, JSON.stringify(payload));
    const env = {
      GITHUB_EVENT_NAME: name,
      GITHUB_EVENT_PATH: file,
      GITHUB_TOKEN: token,
      GITHUB_API_URL: fake.url,
    };
    return runInActions(env, {
      log: pino({ level: "silent" }),
      octokit: { retryAfterBaseValue: 1, pacing: false },
    });
  }

  it("answers a command and keeps one report comment with the workflow's token", async () => {
    fake = await startFakeGitHub();
    const gh = installGitHubState(fake, { botLogin: "github-actions[bot]" });
    gh.pulls.set(1, {
      number: 1,
      state: "open",
      head: { sha: HEAD, ref: "f" },
      base: { sha: BASE, ref: "main" },
    });
    gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
    gh.roles.set("u-write", "write");
    gh.checkSuites.set(HEAD, "2020-01-01T00:00:00Z");
    gh.artifacts.set(31, zip({ "report.json": JSON.stringify(sampleReport()) }));
    const run = example("workflow_run", "completed", 2);
    Object.assign(run.workflow_run, { id: 31, head_sha: HEAD });
    run.workflow_run.pull_requests[0].number = 1;

    const codes = [
      await runEvent("issue_comment", prComment("/modelgate drift", "u-write"), gh.token),
      await runEvent("workflow_run", run, gh.token),
      await runEvent("workflow_run", run, gh.token),
    ];

    expect(codes).toEqual([0, 0, 0]);
    expect(gh.dispatches.map((d) => [d.workflow, d.inputs.command, d.inputs.sha])).toEqual([
      ["modelgate-drift.yml", "drift", HEAD],
    ]);
    expect(gh.comments.filter((c) => c.body.startsWith("<!-- modelgate:report -->"))).toHaveLength(1);
    expect(fake.requests.some((r) => r.path.includes("access_tokens"))).toBe(false);
  });

  it("leaves the example workflow's own `modelgate` job alone: the mark, not the name, finds our check", async () => {
    fake = await startFakeGitHub();
    // In a workflow the Actions app makes both check runs: the job's and the bot's.
    const gh = installGitHubState(fake, { appId: 15368, botLogin: "github-actions[bot]" });
    gh.pulls.set(1, {
      number: 1,
      state: "open",
      head: { sha: HEAD, ref: "f" },
      base: { sha: BASE, ref: "main" },
    });
    gh.files.set(`${BASE}:modelgate.yml`, GATES_CONFIG);
    gh.artifacts.set(31, zip({ "report.json": JSON.stringify(sampleReport()) }));
    const job = {
      id: 1,
      name: "modelgate",
      head_sha: HEAD,
      status: "in_progress",
      conclusion: null,
      external_id: "ca395085-040a-526b-2ce8-bdc85f692774",
      output: { title: "the job" },
      annotations: [],
      actions: [],
      app: { id: 15368 },
    };
    gh.checkRuns.push(structuredClone(job));
    const run = example("workflow_run", "completed", 2);
    Object.assign(run.workflow_run, { id: 31, head_sha: HEAD });
    run.workflow_run.pull_requests[0].number = 1;

    const code = await runEvent("workflow_run", run, gh.token);

    expect(code).toBe(0);
    expect(gh.checkRuns[0]).toEqual(job);
    expect(gh.checkRuns.slice(1).map((c) => [c.external_id, c.status, c.conclusion])).toEqual([
      ["modelgate:31", "completed", "failure"],
    ]);
  });
});
