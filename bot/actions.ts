import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { pino } from "pino";
import { type Logger, Probot } from "probot";
import { z } from "zod";
import { describeError, ExitCode, fsError, UserError } from "../core/errors.js";
import { parseAt } from "../core/parse.js";
import { createModelgate } from "./app.js";
import { modelgateOctokit, type OctokitTuning } from "./octokit.js";

/**
 * The same app with no hosting: a workflow triggered by pull_request, workflow_run, check_run or
 * issue_comment runs this file, which hands the event the runner saved to Probot. (Probot's own
 * GitHub Actions adapter still requires Probot 13.) The workflow's GITHUB_TOKEN does the API calls,
 * so comments come from github-actions[bot].
 */
const ActionsEnv = z.object({
  GITHUB_EVENT_NAME: z.string().regex(/^[a-z_]{1,64}$/, "expected a webhook event name"),
  GITHUB_EVENT_PATH: z.string().min(1, "expected the path of the event payload"),
  GITHUB_TOKEN: z
    .string({ error: "missing: pass the workflow token to the step as env GITHUB_TOKEN" })
    .min(1),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  GITHUB_RUN_ID: z
    .string()
    .regex(/^[0-9]+$/)
    .default("0"),
  GITHUB_RUN_ATTEMPT: z
    .string()
    .regex(/^[0-9]+$/)
    .default("1"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

/** The runner writes the event file itself; the cap only guards against a path pointing elsewhere. */
const MAX_EVENT_BYTES = 25 * 1024 * 1024;

export interface ActionsOptions {
  log?: Logger;
  octokit?: OctokitTuning;
}

export async function runInActions(
  env: Record<string, string | undefined>,
  options: ActionsOptions = {},
): Promise<number> {
  const e = parseAt(ActionsEnv, env, { what: "the Actions environment" });
  const text = await readFile(e.GITHUB_EVENT_PATH, "utf8").catch((error: unknown) => {
    throw fsError(error, e.GITHUB_EVENT_PATH);
  });
  if (text.length > MAX_EVENT_BYTES)
    throw new UserError("the event payload is too large", { file: e.GITHUB_EVENT_PATH });
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new UserError("the event payload is not JSON", { file: e.GITHUB_EVENT_PATH });
  }
  const log = options.log ?? pino({ level: e.LOG_LEVEL, name: "modelgate" });
  const probot = new Probot({
    githubToken: e.GITHUB_TOKEN,
    baseUrl: e.GITHUB_API_URL,
    log,
    Octokit: modelgateOctokit(options.octokit),
  });
  const modelgate = createModelgate({ botLogin: "github-actions[bot]" });
  await probot.load(modelgate.app);
  await probot.receive({
    id: `${e.GITHUB_RUN_ID}-${e.GITHUB_RUN_ATTEMPT}`,
    name: e.GITHUB_EVENT_NAME,
    payload,
  } as Parameters<Probot["receive"]>[0]);
  await modelgate.idle();
  return modelgate.failures() > 0 ? ExitCode.internal : ExitCode.ok;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = await runInActions(process.env);
  } catch (error) {
    const { exitCode, message } = describeError(error);
    process.stderr.write(`modelgate bot: ${message}\n`);
    process.exitCode = exitCode;
  }
}
