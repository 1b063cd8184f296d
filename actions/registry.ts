import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LoadedConfig } from "../core/config/index.js";
import {
  baselineChoice,
  openRegistry,
  type RegistryStore,
  type ResolvedBaseline,
  resolveBaseline,
} from "../core/registry/index.js";
import { actionGitHub } from "./github.js";
import { actionsLogger, input, optionalString, runnerTemp } from "./runtime.js";

/**
 * The config's registry on the runner. The github store only reads here, so the job's token needs
 * no more than `contents: read`.
 */
export function actionRegistry(loaded: LoadedConfig): RegistryStore {
  const config = loaded.config.registry;
  if (config.store === "local") return openRegistry(config, { root: loaded.root });
  const { octokit, owner, repo } = actionGitHub(
    "the github registry store",
    input("github-token", optionalString),
  );
  return openRegistry(config, { root: loaded.root, octokit, repository: `${owner}/${repo}` });
}

/** The `champion` input: empty -> the registry's champion, `none` -> no comparison, else a folder. */
export function actionBaseline(loaded: LoadedConfig, cwd: string): Promise<ResolvedBaseline> {
  return resolveBaseline(baselineChoice(input("champion", optionalString), cwd), {
    name: loaded.config.name,
    store: () => actionRegistry(loaded),
    tempDir: () => mkdtemp(path.join(runnerTemp(tmpdir()), "mg-champion-")),
    logger: actionsLogger,
  });
}
