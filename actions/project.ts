import path from "node:path";
import { type LoadedConfig, loadConfig } from "../core/config/index.js";
import { gitInfo } from "../core/tracking/git.js";
import { RunStore } from "../core/tracking/index.js";
import { input, optionalString, workspace } from "./runtime.js";

/** What every project step needs: the workspace, the config, the run store and the commit. */
export async function projectContext(): Promise<{
  cwd: string;
  loaded: LoadedConfig;
  store: RunStore;
  git: { commit: string; dirty: boolean } | undefined;
}> {
  const cwd = workspace();
  const loaded = await loadConfig(input("config", optionalString) ?? "modelgate.yml", cwd);
  const store = new RunStore(path.resolve(loaded.root, loaded.config.registry.path));
  return { cwd, loaded, store, git: await gitInfo(cwd) };
}
