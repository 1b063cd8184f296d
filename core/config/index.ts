import { readFile } from "node:fs/promises";
import path from "node:path";
import { resolveLocation } from "../data/location.js";
import { fsError, UserError } from "../errors.js";
import { parseYamlWith } from "../yaml.js";
import { Config } from "./schema.js";

export { Config, type ConfigInput, type Gate } from "./schema.js";

export const DEFAULT_CONFIG_FILE = "modelgate.yml";

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read. */
  file: string;
  /** Folder that relative paths in the config are resolved against. */
  root: string;
}

/** Parses config text; paths inside stay as written. */
export function parseConfig(text: string, file = DEFAULT_CONFIG_FILE): Config {
  const config = parseYamlWith(Config, text, file);
  const { target, id, features } = config.data;
  if (id !== undefined && id === target) {
    throw new UserError("the id column cannot also be the target", { file, field: "data.id" });
  }
  for (const forbidden of [target, id]) {
    if (forbidden !== undefined && features?.includes(forbidden)) {
      throw new UserError(`'${forbidden}' is the target or id and cannot be a feature`, {
        file,
        field: "data.features",
      });
    }
  }
  return config;
}

export async function loadConfig(file: string, cwd: string): Promise<LoadedConfig> {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const shown = path.relative(cwd, absolute) || file;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new UserError("no config file; create one (see README 'Project config') or pass --config FILE", {
        file: shown,
      });
    }
    throw fsError(error, shown);
  }
  return { config: parseConfig(text, file), file: absolute, root: path.dirname(absolute) };
}

/** Resolves a config path (file, glob or URL) against the config's folder. */
export function resolveFrom(root: string, location: string): string {
  return resolveLocation(root, location);
}
