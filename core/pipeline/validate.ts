import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { csvByteRanges, openData } from "../data/readers/index.js";
import type { DataSource, ReadOptions } from "../data/types.js";
import type { Logger } from "../ports.js";
import { ProfileBuilder } from "../profile/index.js";
import type { DatasetProfile } from "../profile/schema.js";
import { inferSchema } from "../schema/index.js";
import type { DataSchema } from "../schema/schema.js";
import { Validator } from "../validate/index.js";
import type { ValidationResult } from "../validate/schema.js";
import type { RangeResult, RangeTask } from "./validate-worker.js";
import { runWorker } from "./workers.js";

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

/** Below this a file is read on the calling thread: starting workers costs more than it saves. */
const PARALLEL_MIN_BYTES = 8 << 20;
const INFER_ROWS = 10_000;

/** Validates and profiles one data location (a file, a glob or a URL). */
export async function validateData(
  location: string,
  options: ValidateDataOptions,
): Promise<ValidationReport> {
  const sources = await openData(location, { ...options.read, cwd: options.cwd });
  const first = sources[0]!;
  const schemaInferred = options.schema === undefined;
  const schema = options.schema ?? (await inferFromHead(first, options));
  const validateOptions = { maxErrors: options.maxErrors ?? 20, target: options.target, id: options.id };

  const validator = new Validator(schema, first.columns, validateOptions);
  const profile = new ProfileBuilder(first.columns);
  const fingerprints: string[] = [];
  for (const source of sources) {
    options.logger.info(`reading ${source.name}`);
    const part = await readOne(source, schema, validateOptions, options);
    validator.merge(part.validator);
    profile.merge(part.profile);
    fingerprints.push(part.fingerprint);
  }
  const fingerprint =
    fingerprints.length === 1 ? fingerprints[0]! : `sha256:${sha256(fingerprints.join("\n"))}`;
  const finished = profile.finish();
  const result = validator.finish({
    fingerprint,
    file: sources.map((s) => s.name).join(", "),
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

interface Part {
  validator: Validator;
  profile: ProfileBuilder;
  fingerprint: string;
}

async function readOne(
  source: DataSource,
  schema: DataSchema,
  validateOptions: ConstructorParameters<typeof Validator>[2],
  options: ValidateDataOptions,
): Promise<Part> {
  const file = source.path;
  const workers = Math.max(1, options.workers ?? availableParallelism());
  if (file && source.format !== "jsonl" && source.format !== "parquet" && workers > 1) {
    const size = (await stat(file)).size;
    if (size >= PARALLEL_MIN_BYTES)
      return readParallel(source, file, schema, validateOptions, workers, options);
  }
  const validator = new Validator(schema, source.columns, validateOptions);
  const profile = new ProfileBuilder(source.columns);
  const hash = createHash("sha256");
  let rows = 0;
  for await (const batch of source.batches()) {
    validator.add(batch);
    profile.add(batch);
    hashBatch(hash, batch.columns, batch.size);
    rows += batch.size;
    options.logger.progress("rows", rows);
  }
  const fingerprint = file ? await fileFingerprint(file) : `sha256:${hash.digest("hex")}`;
  return { validator, profile, fingerprint };
}

async function readParallel(
  source: DataSource,
  file: string,
  schema: DataSchema,
  validateOptions: ConstructorParameters<typeof Validator>[2],
  workers: number,
  options: ValidateDataOptions,
): Promise<Part> {
  const ranges = await csvByteRanges(file, workers, { ...options.read, cwd: options.cwd });
  options.logger.debug(`validating ${source.name} on ${ranges.length} threads`);
  // The hash of the bytes runs on this thread while the workers parse.
  const fingerprint = fileFingerprint(file);
  const results = await Promise.all(
    ranges.map((range) =>
      runWorker<RangeResult>("validate-worker", {
        file,
        name: source.name,
        range,
        schema,
        validateOptions,
        read: { ...options.read, cwd: options.cwd },
      } satisfies RangeTask),
    ),
  );
  const validator = new Validator(schema, source.columns, validateOptions);
  const profile = new ProfileBuilder(source.columns);
  for (const result of results) {
    validator.merge(Validator.fromState(result.validator));
    profile.merge(ProfileBuilder.fromState(result.profile));
  }
  return { validator, profile, fingerprint: await fingerprint };
}

export async function fileFingerprint(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest("hex")}`;
}

function hashBatch(hash: ReturnType<typeof createHash>, columns: unknown[][], size: number) {
  for (let r = 0; r < size; r++) {
    let line = "";
    for (const column of columns) line += `${JSON.stringify(column[r] ?? null)}\u001f`;
    hash.update(line);
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
