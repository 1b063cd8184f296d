import path from "node:path";
import type { z } from "zod";
import type { RegistryConfig } from "../config/schema.js";
import { UserError } from "../errors.js";
import type { GitHubClient } from "./git-data.js";
import { githubStore } from "./github.js";
import { LocalStore } from "./local.js";
import type { RegistryStore } from "./store.js";

export {
  type BaselineChoice,
  baselineChoice,
  ChampionRef,
  NO_CHAMPION,
  type ResolvedBaseline,
  resolveBaseline,
  resolveChampion,
} from "./champion.js";
export type { GitHubClient } from "./git-data.js";
export { DEFAULT_BRANCH, GitHubStore, type GitHubStoreOptions, githubStore } from "./github.js";
export { lineageFromModelDir } from "./lineage.js";
export { LocalStore, type LocalStoreOptions } from "./local.js";
export {
  checkModelFolder,
  type Evaluation,
  type ProjectExpectation,
  type RegisterModelOptions,
  registerModel,
} from "./register.js";
export { AliasIndex, FileEntry, Lineage, ModelVersion } from "./schema.js";
export type { AliasMeta, RegistryStore } from "./store.js";

export interface RegistryPorts {
  /** The folder the config's paths are relative to. */
  root: string;
  /** Needed by the github store. */
  octokit?: GitHubClient;
  /** `owner/repo`, for the github store. */
  repository?: string;
}

/** The store the config's `registry` block names. */
export function openRegistry(config: z.input<typeof RegistryConfig>, ports: RegistryPorts): RegistryStore {
  if ((config.store ?? "local") === "local") {
    return new LocalStore(path.resolve(ports.root, config.path ?? ".modelgate"));
  }
  if (!ports.octokit) {
    throw new UserError("the github registry store needs a GitHub token", { field: "GITHUB_TOKEN" });
  }
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(ports.repository ?? "");
  if (!match) {
    throw new UserError(`expected the repository as owner/name, found '${ports.repository ?? ""}'`, {
      field: "GITHUB_REPOSITORY",
    });
  }
  return githubStore({ octokit: ports.octokit, owner: match[1]!, repo: match[2]! });
}
