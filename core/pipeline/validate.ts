import { createHash } from "node:crypto";
import { openData } from "../data/readers/index.js";
import type { DataSource, ReadOptions } from "../data/types.js";
import type { Logger } from "../ports.js";
import type { DatasetProfile } from "../profile/schema.js";
import { inferSchema } from "../schema/index.js";
import type { DataSchema } from "../schema/schema.js";
import { columnHints, ValidateOptions } from "../validate/index.js";
import type { ValidationResult } from "../validate/schema.js";
import { profileData } from "./profile-data.js";

export { fileFingerprint } from "./profile-data.js";

export interface ValidateDataOptions {
  cwd: string;
  /** Without a schema one is inferred from the first rows, so later rows are held to the same shape. */
  schema?: DataSchema;
  target?: string;
  id?: string;
  maxErrors?: number;
  read?: ReadOptions;
  /** Worker threads for large local CSV files (default: one per core). */
  workers?: number;
  logger: Logger;
}

export type ValidationReport = ValidationResult & { profile: DatasetProfile; schemaInferred: boolean };

const INFER_ROWS = 10_000;

/** Validates and profiles one data location (a file, a glob or a URL). */
export async function validateData(
  location: string,
  options: ValidateDataOptions,
): Promise<ValidationReport> {
  const sources = await openData(location, { ...options.read, cwd: options.cwd });
  const schemaInferred = options.schema === undefined;
  const schema = options.schema ?? (await inferFromHead(sources[0]!, options));
  const validateOptions = ValidateOptions.parse({
    maxErrors: options.maxErrors ?? 20,
    target: options.target,
    id: options.id,
  });
  const data = await profileData(sources, {
    ...options,
    jobs: { validate: { schema, options: validateOptions } },
    hints: (source) => columnHints(schema, source.columns),
    fingerprint: true,
  });
  const fingerprints = data.fingerprints;
  const fingerprint =
    fingerprints.length === 1 ? fingerprints[0]! : `sha256:${sha256(fingerprints.join("\n"))}`;
  const finished = data.profile.finish();
  const result = data.validator!.finish({
    fingerprint,
    file: data.sources.map((s) => s.name).join(", "),
    profile: finished,
  });
  return { ...result, profile: finished, schemaInferred };
}

async function inferFromHead(source: DataSource, options: ValidateDataOptions): Promise<DataSchema> {
  const head = { ...source, batches: () => takeRows(source, INFER_ROWS) };
  return inferSchema([head], { target: options.target, id: options.id });
}

async function* takeRows(source: DataSource, rows: number) {
  let seen = 0;
  for await (const batch of source.batches()) {
    yield batch;
    seen += batch.size;
    if (seen >= rows) return;
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
