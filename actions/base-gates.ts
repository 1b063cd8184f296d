import path from "node:path";
import { Octokit } from "octokit";
import { z } from "zod";
import { Config, type LoadedConfig, parseConfig } from "../core/config/index.js";
import { UserError } from "../core/errors.js";
import { parseAt } from "../core/parse.js";
import type { Logger } from "../core/ports.js";
import { readEventFile } from "./runtime.js";

/** What a pull request may not decide for itself: read from the base's modelgate.yml, never the workspace's. */
// `name` too: it picks the registry model whose champion is the baseline, so a pull request cannot rename
// its model to be a "first model" with nothing to compare against.
export const BASE_KEYS = ["name", "gates", "significance", "onInconclusive", "registry"] as const;

const Sha = z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA");
const PullRequestEvent = z.object({ pull_request: z.object({ base: z.object({ sha: Sha }) }) });
const MergeGroupEvent = z.object({ merge_group: z.object({ base_sha: Sha }) });
const FileContent = z.object({ type: z.literal("file"), encoding: z.literal("base64"), content: z.string() });
const RunnerEnv = z.object({
  GITHUB_REPOSITORY: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/repo"),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
});

export interface BaseRef {
  sha: string;
  /** Said in the log: where the gates come from. */
  what: string;
}

/**
 * The commit whose config holds the gates: a pull request's base, the merge queue's base, or on a
 * dispatch the branch it was dispatched on (GITHUB_SHA; the bot dispatches on the base branch). Other
 * events (push, release, schedule) run a trusted commit: undefined, the workspace's config holds.
 */
export async function baseRef(
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<BaseRef | undefined> {
  const event = env.GITHUB_EVENT_NAME;
  if (event === "workflow_dispatch") {
    const sha = Sha.safeParse(env.GITHUB_SHA);
    if (!sha.success)
      throw new UserError("a dispatched run needs GITHUB_SHA, the dispatched branch's commit");
    return { sha: sha.data, what: "the dispatched branch" };
  }
  if (event !== "pull_request" && event !== "pull_request_target" && event !== "merge_group")
    return undefined;
  const payload: unknown = (await readEventFile(env.GITHUB_EVENT_PATH)) ?? {};
  const parsed =
    event === "merge_group"
      ? MergeGroupEvent.safeParse(payload).data?.merge_group.base_sha
      : PullRequestEvent.safeParse(payload).data?.pull_request.base.sha;
  if (!parsed) {
    // GitHub always sends the base; an event file without one is not a pull request GitHub started.
    logger.warning(`the ${event} event names no base commit: the gates are the workspace's own config`);
    return undefined;
  }
  return {
    sha: parsed,
    what: event === "merge_group" ? "the merge queue's base" : "the pull request's base",
  };
}

/**
 * The workspace's config with `gates`, `significance`, `onInconclusive` and `registry` replaced by the
 * base commit's (read through the contents API), so a pull request that loosens its own gates, or points
 * the registry elsewhere, is still held to the base's. No config at the base: no gates apply, said out loud.
 */
export async function withBaseGates(
  loaded: LoadedConfig,
  options: {
    cwd: string;
    token: string | undefined;
    env: Record<string, string | undefined>;
    logger: Logger;
  },
): Promise<{ loaded: LoadedConfig; note?: string }> {
  const ref = await baseRef(options.env, options.logger);
  if (!ref) return { loaded };
  const file = path.relative(options.cwd, loaded.file).split(path.sep).join("/");
  if (!options.token) {
    throw new UserError(
      "reading the base branch's gates needs a token: pass github-token (default github.token)",
      {
        field: "with.github-token",
      },
    );
  }
  const env = parseAt(RunnerEnv, options.env, { what: "the runner's environment", field: "env" });
  const [owner, repo] = env.GITHUB_REPOSITORY.split("/") as [string, string];
  const octokit = new Octokit({ auth: options.token, baseUrl: env.GITHUB_API_URL.replace(/\/$/, "") });
  let text: string | undefined;
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner,
      repo,
      path: file,
      ref: ref.sha,
    });
    const parsed = FileContent.safeParse(data);
    if (!parsed.success) throw new UserError(`${file} at ${ref.sha.slice(0, 7)} is not a file`, { file });
    text = Buffer.from(parsed.data.content, "base64").toString("utf8");
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
  }
  const short = ref.sha.slice(0, 7);
  if (text === undefined) {
    const note = `${file} is not on ${ref.what} (${short}): no gates apply; this commit's own gates are not used`;
    options.logger.warning(note);
    return { loaded: { ...loaded, config: { ...loaded.config, gates: [] } }, note };
  }
  const base = parseConfig(text, `${file} at ${short}`);
  const config: Record<string, unknown> = { ...loaded.config };
  for (const key of BASE_KEYS) {
    if (key in Config.shape) config[key] = (base as Record<string, unknown>)[key];
  }
  options.logger.info(`name, gates, significance and registry from ${file} at ${ref.what} (${short})`);
  return { loaded: { ...loaded, config: config as LoadedConfig["config"] } };
}
