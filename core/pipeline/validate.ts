import { createHash } from "node:crypto";
import { openData } from "../data/readers/index.js";
import type { DataSource, ReadOptions } from "../data/types.js";
import { inferSchema } from "../data-schema/index.js";
import type { DataSchema } from "../data-schema/schema.js";
import type { Logger } from "../ports.js";
import type { DatasetProfile } from "../profile/schema.js";
import { profileData } from "../scan/profile-data.js";
import { columnHints, ValidateOptions } from "../validate/index.js";
import type { ValidationResult } from "../validate/schema.js";

export { fileFingerprint } from "../scan/profile-data.js";

export interface ValidateDataOptions {
  cwd: string;
  /**
   * Without a schema only structure and type consistency are enforced (a type is what most of a
   * column's cells are, over the whole file); ranges and value sets are information (the profile).
   */
  schema?: DataSchema;
  /** Cell texts read as missing (`data.missing`); default: DEFAULT_MISSING. */
  missing?: string[];
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

/** What validation holds data to without a schema: any columns, duplicate rows a warning. */
const SCHEMALESS: DataSchema = { rows: { duplicates: "warning" }, columns: {}, additionalColumns: true };

/** Validates and profiles one data location (a file, a glob or a URL). */
export async function validateData(
  location: string,
  options: ValidateDataOptions,
): Promise<ValidationReport> {
  const sources = await openData(location, { ...options.read, cwd: options.cwd });
  const schemaInferred = options.schema === undefined;
  // Without a schema the head's types only pick how the reader types columns (speed), never what is enforced.
  const typing = options.schema ?? (await inferFromHead(sources[0]!, options));
  const schema = options.schema ?? SCHEMALESS;
  const validateOptions = ValidateOptions.parse({
    maxErrors: options.maxErrors ?? 20,
    target: options.target,
    id: options.id,
    missing: options.missing,
    schemaless: schemaInferred,
  });
  const data = await profileData(sources, {
    ...options,
    jobs: { validate: { schema, options: validateOptions }, missing: options.missing },
    hints: (source) => columnHints(typing, source.columns),
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
  return inferSchema([head], { target: options.target, id: options.id, missing: options.missing });
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
