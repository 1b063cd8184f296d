import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { CHUNK_BYTES, readChunks } from "../data/readers/bytes.js";
import { type ByteRange, csvByteRanges, openCsvRange, openData } from "../data/readers/index.js";
import type { DataSource, ReadOptions } from "../data/types.js";
import type { Logger } from "../ports.js";
import { ProfileBuilder, type ProfileState } from "../profile/index.js";
import type { DatasetProfile } from "../profile/schema.js";
import { inferSchema } from "../schema/index.js";
import type { DataSchema } from "../schema/schema.js";
import { columnHints, Validator, type ValidatorState } from "../validate/index.js";
import type { ValidationResult } from "../validate/schema.js";
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
  // A local file is fingerprinted by its bytes; its batches may then be typed (cells are not hashed).
  const typed = file ? columnHints(schema, source.columns) : undefined;
  const fingerprint = file ? fileFingerprint(file) : undefined;
  fingerprint?.catch(() => {});
  for await (const batch of source.batches({ typed })) {
    validator.add(batch);
    profile.add(batch);
    if (!file) hashBatch(hash, batch.columns, batch.size);
    rows += batch.size;
    options.logger.progress("rows", rows);
  }
  return { validator, profile, fingerprint: (await fingerprint) ?? `sha256:${hash.digest("hex")}` };
}

/**
 * One byte range per core: this thread reads the first (and hashes the whole file, interleaved),
 * workers the others. Fewer threads than cores would leave a core idle; one more isolate than
 * needed costs ~40 MB.
 */
async function readParallel(
  source: DataSource,
  file: string,
  schema: DataSchema,
  validateOptions: ConstructorParameters<typeof Validator>[2],
  workers: number,
  options: ValidateDataOptions,
): Promise<Part> {
  const read = { ...options.read, cwd: options.cwd };
  // This thread also hashes and merges: it takes a smaller share of the rows.
  const shares = Array.from({ length: workers }, (_, i) => (i === 0 ? LEAD_SHARE : 1));
  const ranges = await csvByteRanges(file, workers, read, shares);
  options.logger.debug(`validating ${source.name} on ${ranges.length} threads`);
  const tasks = ranges.map(
    (range): RangeTask => ({ file, name: source.name, range, schema, validateOptions, read }),
  );
  const remote = tasks.slice(1).map((task) => runWorker<RangeResult>("validate-worker", task));
  // Settled here too, so a failing worker never leaves an unhandled rejection while this thread reads.
  const others = Promise.all(remote);
  others.catch(() => {});
  const fingerprint = fileFingerprint(file);
  fingerprint.catch(() => {});
  const results = [await validateRange(tasks[0]!), ...(await others)];
  const validator = new Validator(schema, source.columns, validateOptions);
  const profile = new ProfileBuilder(source.columns);
  for (const result of results) {
    validator.merge(Validator.fromState(result.validator));
    profile.merge(ProfileBuilder.fromState(result.profile));
  }
  return { validator, profile, fingerprint: await fingerprint };
}

/** Share of the rows the calling thread validates, relative to each worker's 1. */
const LEAD_SHARE = 0.85;

export interface RangeTask {
  file: string;
  name: string;
  range: ByteRange;
  schema: DataSchema;
  validateOptions: ConstructorParameters<typeof Validator>[2];
  read: ReadOptions;
}

export interface RangeResult {
  validator: ValidatorState;
  profile: ProfileState;
}

/** Validates and profiles one byte range of a CSV file; what each thread runs in readParallel. */
export async function validateRange(task: RangeTask): Promise<RangeResult> {
  const source = openCsvRange(task.file, task.range, { ...task.read, displayName: task.name });
  const validator = new Validator(task.schema, source.columns, task.validateOptions);
  const profile = new ProfileBuilder(source.columns);
  for await (const batch of source.batches({ typed: columnHints(task.schema, source.columns) })) {
    validator.add(batch);
    profile.add(batch);
  }
  return { validator: validator.toState(), profile: profile.toState() };
}

export async function fileFingerprint(file: string): Promise<string> {
  const hash = createHash("sha256");
  // One reused buffer: this thread allocates too little to collect 150 chunk buffers soon.
  for await (const chunk of readChunks(file, file, 0, Number.POSITIVE_INFINITY, CHUNK_BYTES, true))
    hash.update(chunk);
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
