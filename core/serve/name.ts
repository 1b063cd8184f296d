import type { ModelManifest } from "../model/index.js";
import { ModelName } from "./schema.js";

/**
 * The NAME in /v1/models/NAME: the one asked for, else the project name in the model's run record
 * (so a model served outside its project keeps its name), else the fallback (the config's), else "model".
 */
export function servedName(asked: string | undefined, manifest: ModelManifest, fallback?: string): string {
  if (asked !== undefined) return asked;
  const recorded = (manifest.run as { name?: unknown } | undefined)?.name;
  if (typeof recorded === "string" && ModelName.safeParse(recorded).success) return recorded;
  return fallback ?? "model";
}
