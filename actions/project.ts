import { realpath } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_CONFIG_FILE, type LoadedConfig, loadConfig } from "../core/config/index.js";
import { UserError } from "../core/errors.js";
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
  const loaded = await loadConfig(await configInput(cwd), cwd);
  const store = new RunStore(path.resolve(loaded.root, loaded.config.registry.path));
  return { cwd, loaded, store, git: await gitInfo(cwd) };
}

/**
 * A `config` or `schema` input: a plain relative path inside the workspace (no absolute path, URL, `..`,
 * or symlink leading out). Anything else is bad input (exit 2).
 */
export async function workspacePath(name: string, value: string, cwd: string): Promise<string> {
  const refuse = (why: string) => {
    throw new UserError(`input '${name}': ${why} (got '${value}')`, { field: `with.${name}` });
  };
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) refuse("a path in the workspace, not a URL");
  if (path.isAbsolute(value) || path.win32.isAbsolute(value))
    refuse("a path in the workspace, not an absolute path");
  if (value.split(/[\\/]/).includes("..")) refuse("a path in the workspace, without '..'");
  const resolved = path.resolve(cwd, value);
  const real = await realpath(resolved).catch(() => resolved);
  const root = await realpath(cwd).catch(() => cwd);
  const inside = path.relative(root, real);
  if (inside.startsWith("..") || path.isAbsolute(inside))
    refuse("it leads out of the workspace through a symlink");
  return value;
}

/** The `config` input, confined to the workspace. */
export async function configInput(cwd: string): Promise<string> {
  return workspacePath("config", input("config", optionalString) ?? DEFAULT_CONFIG_FILE, cwd);
}
