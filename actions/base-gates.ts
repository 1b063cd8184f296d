import path from "node:path";
import { z } from "zod";
import { Config, type LoadedConfig, parseConfig } from "../core/config/index.js";
import { UserError } from "../core/errors.js";
import type { Logger } from "../core/ports.js";
import { readFileAt } from "../core/registry/contents.js";
import { actionGitHub } from "./github.js";
import { input, optionalString, type RunnerEnv, readEventFile, runnerEnv } from "./runtime.js";

/** What a pull request may not decide for itself: read from the base's modelgate.yml, never the workspace's. */
// `name` too: it picks the registry model whose champion is the baseline, so a pull request cannot rename
// its model to be a "first model" with nothing to compare against.
export const BASE_KEYS = ["name", "gates", "significance", "onInconclusive", "registry"] as const;

const Sha = z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA");
const PullRequestEvent = z.object({ pull_request: z.object({ base: z.object({ sha: Sha }) }) });
const MergeGroupEvent = z.object({ merge_group: z.object({ base_sha: Sha }) });

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
export async function baseRef(env: RunnerEnv, logger: Logger): Promise<BaseRef | undefined> {
  const event = env.GITHUB_EVENT_NAME;
  if (event === "workflow_dispatch") {
    if (!env.GITHUB_SHA) {
      throw new UserError("a dispatched run needs GITHUB_SHA, the dispatched branch's commit", {
        field: "env.GITHUB_SHA",
      });
    }
    return { sha: env.GITHUB_SHA, what: "the dispatched branch" };
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
  options: { cwd: string; logger: Logger },
): Promise<{ loaded: LoadedConfig; note?: string }> {
  const ref = await baseRef(runnerEnv(), options.logger);
  if (!ref) return { loaded };
  const file = path.relative(options.cwd, loaded.file).split(path.sep).join("/");
  const github = actionGitHub("reading the base branch's gates", input("github-token", optionalString));
  const text = await readFileAt(github.octokit, github, file, ref.sha);
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
