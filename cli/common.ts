import { access } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_CONFIG_FILE, type LoadedConfig, loadConfig, resolveFrom } from "../core/config/index.js";
import { displayLocation } from "../core/data/location.js";
import { UserError } from "../core/errors.js";
import type { Context, Flags } from "./context.js";

/**
 * The project config: --config when given (must exist), else modelgate.yml in the working directory
 * when present. `required` commands fail without one; others run from flags alone.
 */
export async function projectConfig(ctx: Context, required: boolean): Promise<LoadedConfig | undefined> {
  if (ctx.configFile) return loadConfig(ctx.configFile, ctx.io.cwd);
  const fallback = path.join(ctx.io.cwd, DEFAULT_CONFIG_FILE);
  const exists = await access(fallback).then(
    () => true,
    () => false,
  );
  if (exists || required) return loadConfig(DEFAULT_CONFIG_FILE, ctx.io.cwd);
  return undefined;
}

export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

export function intFlag(
  flags: Flags,
  name: string,
  options: { min?: number; fallback?: number } = {},
): number | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return options.fallback;
  const number = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(number) || number < (options.min ?? 1)) {
    throw new UserError(`expected a whole number of at least ${options.min ?? 1}, found '${value}'`, {
      field: `--${name}`,
    });
  }
  return number;
}

export function requirePositional(positionals: string[], index: number, name: string): string {
  const value = positionals[index];
  if (value === undefined)
    throw new UserError(`missing argument ${name}`, { field: `--${name.toLowerCase()}` });
  return value;
}

export function printJson(ctx: Context, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A path from the config, made relative to the working directory so messages and annotations stay short. */
export function configPath(ctx: Context, loaded: LoadedConfig, location: string): string {
  const resolved = resolveFrom(loaded.root, location);
  return displayLocation(ctx.io.cwd, resolved);
}
