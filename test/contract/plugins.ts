import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../helpers/action.js";

/**
 * What the files of a plug-in folder export that looks like a plug-in (by `is`), each with the file it came
 * from: the contract tests compare this with the registry, so a plug-in written but not registered (or
 * registered from elsewhere) is caught.
 */
export async function exportedPlugins<T>(
  folder: string,
  is: (value: unknown) => value is T,
  skip: readonly string[] = ["index.ts"],
): Promise<Array<{ file: string; plugin: T }>> {
  const dir = path.join(repoRoot, folder);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".ts") && !skip.includes(f)).sort();
  const found: Array<{ file: string; plugin: T }> = [];
  for (const file of files) {
    const module: Record<string, unknown> = await import(pathToFileURL(path.join(dir, file)).href);
    for (const value of new Set(Object.values(module))) {
      if (is(value)) found.push({ file: `${folder}/${file}`, plugin: value });
    }
  }
  return found;
}

export function isObjectWith(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && keys.every((key) => key in value);
}
