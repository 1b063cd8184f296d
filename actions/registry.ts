import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Octokit } from "octokit";
import { z } from "zod";
import type { LoadedConfig } from "../core/config/index.js";
import { UserError } from "../core/errors.js";
import { parseAt } from "../core/parse.js";
import {
  baselineChoice,
  openRegistry,
  type RegistryStore,
  type ResolvedBaseline,
  resolveBaseline,
} from "../core/registry/index.js";
import { actionsLogger, input, optionalString } from "./runtime.js";

const RunnerEnv = z.object({
  GITHUB_REPOSITORY: z.string().optional(),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  GITHUB_TOKEN: z.string().optional(),
});

/**
 * The config's registry on the runner. The github store only reads here, so the job's token needs
 * no more than `contents: read`.
 */
export function actionRegistry(loaded: LoadedConfig): RegistryStore {
  const config = loaded.config.registry;
  if (config.store === "local") return openRegistry(config, { root: loaded.root });
  const env = parseAt(RunnerEnv, process.env, { what: "the runner's environment", field: "env" });
  const token = input("github-token", optionalString) ?? env.GITHUB_TOKEN;
  if (!token) {
    throw new UserError("the github registry store needs a token: pass github-token (default github.token)", {
      field: "with.github-token",
    });
  }
  const octokit = new Octokit({ auth: token, baseUrl: env.GITHUB_API_URL.replace(/\/$/, "") });
  return openRegistry(config, { root: loaded.root, octokit, repository: env.GITHUB_REPOSITORY });
}

/** The `champion` input: empty -> the registry's champion, `none` -> no comparison, else a folder. */
export function actionBaseline(loaded: LoadedConfig, cwd: string): Promise<ResolvedBaseline> {
  return resolveBaseline(baselineChoice(input("champion", optionalString), cwd), {
    name: loaded.config.name,
    store: () => actionRegistry(loaded),
    tempDir: () => mkdtemp(path.join(process.env.RUNNER_TEMP ?? tmpdir(), "mg-champion-")),
    logger: actionsLogger,
  });
}
