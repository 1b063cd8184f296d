import { z } from "zod";
import { UserError } from "../errors.js";
import { parseAt } from "../parse.js";

/**
 * What the registry stores. Index files are read back from disk or from a GitHub branch anyone with
 * write access can edit, so every read goes through these schemas, and file paths are re-checked
 * before anything is written under a destination folder.
 */
export const ModelName = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-', starting with a letter or digit");

export const AliasName = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9-]*$/, "lower-case letters, digits and '-'");

/** A relative POSIX path that stays inside its folder: no `..`, no absolute path, no empty part. */
export const RelativePath = z
  .string()
  .min(1)
  .max(1000)
  .refine(isContainedPath, "must be a relative path inside the model folder");

export function isContainedPath(value: string): boolean {
  if (value.startsWith("/") || value.includes("\\") || value.includes("\0")) return false;
  return value.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

export const FileEntry = z.strictObject({
  path: RelativePath,
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lower-case hex digits"),
});
export type FileEntry = z.infer<typeof FileEntry>;

const Metrics = z.record(z.string(), z.number());

export const ModelVersion = z.strictObject({
  name: ModelName,
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  runId: z.string().max(200).optional(),
  commit: z.string().max(100).optional(),
  dataFingerprints: z.strictObject({ train: z.string().optional(), test: z.string().optional() }).optional(),
  metrics: Metrics,
  configHash: z.string().max(200).optional(),
  files: z.array(FileEntry).min(1).max(10_000),
  source: z.string().max(2000).optional().describe("where the model came from: a folder, a workflow run URL"),
});
export type ModelVersion = z.infer<typeof ModelVersion>;

/** What the caller knows about a model when registering it; the store adds name, version and files. */
export const Lineage = ModelVersion.omit({ name: true, version: true, files: true, createdAt: true }).extend({
  metrics: Metrics.default({}),
  createdAt: z.iso.datetime().optional(),
});
export type Lineage = z.input<typeof Lineage>;

export const AliasEvent = z.strictObject({
  alias: AliasName,
  action: z.enum(["set", "rollback"]),
  version: z.number().int().positive(),
  previous: z.number().int().positive().optional(),
  at: z.iso.datetime(),
  by: z.string().max(200).optional(),
  reason: z.string().max(2000).optional(),
});
export type AliasEvent = z.infer<typeof AliasEvent>;

/** `aliases.json`: the current targets plus every change, oldest first, so rollback can walk back. */
export const AliasIndex = z.strictObject({
  aliases: z.record(AliasName, z.number().int().positive()),
  history: z.array(AliasEvent),
});
export type AliasIndex = z.infer<typeof AliasIndex>;

export const EMPTY_ALIASES: AliasIndex = { aliases: {}, history: [] };

/** Parses an index file read back from a store; anything off is refused, naming the file and field. */
export function parseIndexFile<T>(schema: z.ZodType<T>, text: string, file: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`corrupted registry index: not JSON (${(error as Error).message})`, { file });
  }
  return parseAt(schema, json, { what: "corrupted registry index", file });
}
