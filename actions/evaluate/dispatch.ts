import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Octokit } from "octokit";
import { z } from "zod";
import { ChampionRef } from "../../bot/commands.js";
import type { LoadedConfig } from "../../core/config/index.js";
import { UserError } from "../../core/errors.js";
import type { Logger } from "../../core/ports.js";
import { openRegistry, resolveChampion } from "../../core/registry/index.js";
import type { Report } from "../../core/report/index.js";

const DispatchEvent = z.object({
  inputs: z
    .object({
      pull_request: z
        .string()
        .regex(/^[1-9][0-9]{0,8}$/, "expected a pull request number")
        .optional(),
      sha: z
        .string()
        .regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA")
        .optional(),
      command: z
        .string()
        .regex(/^[a-z-]{1,40}$/, "expected a command name")
        .optional(),
    })
    .nullish(),
});

/**
 * The pull request a chat-ops dispatch came from ({number, sha, command}), for the report: the bot
 * reports a dispatched run (which runs on the base branch) to that pull request while `sha` is its head.
 * Undefined for any other event. The checked-out commit must be the pinned one.
 */
export async function dispatchedPullRequest(
  env: Record<string, string | undefined>,
  commit: string | undefined,
): Promise<Report["pullRequest"]> {
  if (env.GITHUB_EVENT_NAME !== "workflow_dispatch" || !env.GITHUB_EVENT_PATH) return undefined;
  const parsed = DispatchEvent.safeParse(JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`dispatch input ${issue.path.at(-1)?.toString()}: ${issue.message}`, {
      field: `inputs.${issue.path.at(-1)?.toString()}`,
    });
  }
  const inputs = parsed.data.inputs;
  if (!inputs?.pull_request || !inputs.sha) return undefined;
  if (commit && commit !== inputs.sha) {
    throw new UserError(
      `the workspace holds ${commit.slice(0, 7)}, but the dispatch pinned ${inputs.sha.slice(0, 7)}: check out inputs.sha`,
      { field: "inputs.sha" },
    );
  }
  return { number: Number(inputs.pull_request), sha: inputs.sha, command: inputs.command ?? "retrain" };
}

/**
 * The `champion` input: a model folder, or a registry ref (a version like `v3`, or an alias) resolved in
 * the project's registry now, so a merge-queue run is judged against the champion of this moment. The
 * `champion` alias may be missing (the first model: only absolute gates apply, and the log says so);
 * any other ref must exist.
 */
export async function championInput(
  value: string | undefined,
  loaded: LoadedConfig,
  cwd: string,
  logger: Logger,
): Promise<{ dir: string; label?: string } | undefined> {
  if (!value) return undefined;
  const folder = path.resolve(cwd, value);
  if (
    await stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    )
  )
    return { dir: folder };
  const ref = ChampionRef.safeParse(value);
  if (!ref.success) {
    throw new UserError(`'${value.slice(0, 80)}' is neither a model folder nor a registry version or alias`, {
      field: "with.champion",
    });
  }
  const token = process.env.GITHUB_TOKEN;
  const store = openRegistry(loaded.config.registry, {
    root: loaded.root,
    octokit: token
      ? new Octokit({
          auth: token,
          baseUrl: (process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, ""),
        })
      : undefined,
    repository: process.env.GITHUB_REPOSITORY,
  });
  const name = loaded.config.name;
  if (ref.data === "champion" && (await resolveChampion(store, name)) === undefined) {
    logger.warning(`no champion registered for '${name}': only absolute gates (min, max) apply`);
    return undefined;
  }
  const version = (await store.get(name, ref.data)).version;
  const dir = await store.download(name, String(version), await mkdtemp(path.join(tmpdir(), "mg-champion-")));
  logger.info(`champion: ${name} v${version} (${ref.data})`);
  return { dir, label: `v${version}` };
}
