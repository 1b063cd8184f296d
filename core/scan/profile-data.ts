import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { CHUNK_BYTES, readChunks } from "../data/readers/bytes.js";
import { type ByteRange, openCheckedCsvRange } from "../data/readers/csv-range.js";
import type { Batch, ColumnHint, DataSource, ReadOptions } from "../data/types.js";
import type { DataSchema } from "../data-schema/schema.js";
import type { Logger } from "../ports.js";
import { ProfileBuilder, type ProfileState, unionColumns } from "../profile/builder.js";
import { ValidationRun, type ValidatorState } from "../validate/run.js";
import type { ValidateOptions } from "../validate/schema.js";
import { type ExactState, ExactValues } from "./exact.js";
import { WorkerPool } from "./workers.js";

/** What each thread does with its rows besides profiling them; plain data, so workers get it too. */
export interface Jobs {
  /** Validate the rows against a schema (`validate`). */
  validate?: { schema: DataSchema; options: ValidateOptions };
  /** Keep exact numeric values while they are few (drift's exact tests). */
  exact?: boolean;
  /** The cell texts read as missing (`data.missing`); default: DEFAULT_MISSING. */
  missing?: string[];
}

export interface ProfileDataOptions {
  cwd: string;
  read?: ReadOptions;
  jobs?: Jobs;
  /**
   * How the reader may type each column of a local file's header (BatchOptions.typed). Typing is
   * for speed only: the profile and exact values come out the same either way.
   */
  hints?: (source: DataSource) => Promise<ColumnHint[] | undefined> | ColumnHint[] | undefined;
  /** Fingerprint each source (sha256 of a local file's bytes, of the cells otherwise). */
  fingerprint?: boolean;
  /** Threads for a large local CSV file (default: one per core). */
  workers?: number;
  /** Worker threads to read with, kept across calls (default: started and ended by this call). */
  pool?: WorkerPool;
  logger: Logger;
}

export interface ProfiledData {
  sources: DataSource[];
  /** Every column of every source, first-seen order: the profile's columns. */
  columns: string[];
  profile: ProfileBuilder;
  validator?: ValidationRun;
  exact?: ExactValues;
  /** One per source, when asked for. */
  fingerprints: string[];
}

/** The dist/ entry (and core/pipeline file) running readRange; named for its first user. */
export const RANGE_WORKER = "validate-worker";

/**
 * Opening data (every reader, zod for the options) is for the lead thread alone: loaded when first
 * needed, so worker threads, which import this file for readRange, never load it (~5 MB a thread).
 */
const readers = () => import("../data/readers/index.js");

/** Below this a file is read on the calling thread: starting workers costs more than it saves. */
const PARALLEL_MIN_BYTES = 8 << 20;

/**
 * Profiles one data location (a file, a glob or a URL; or its sources, opened), and runs `jobs` over
 * the same rows. A large local CSV is split into byte ranges read by this thread and worker threads,
 * typed by `hints`.
 */
export async function profileData(
  location: string | DataSource[],
  options: ProfileDataOptions,
): Promise<ProfiledData> {
  const sources =
    typeof location === "string"
      ? await (await readers()).openData(location, { ...options.read, cwd: options.cwd })
      : location;
  const columns = unionColumns(sources);
  const whole = new Part(columns, sources[0]!.columns, options.jobs ?? {});
  const fingerprints: string[] = [];
  const pool = options.pool ?? new WorkerPool(RANGE_WORKER);
  try {
    for (const source of sources) {
      options.logger.info(`reading ${source.name}`);
      const part = await readSource(source, columns, { ...options, pool });
      for (const state of part.states) whole.merge(state);
      if (part.fingerprint !== undefined) fingerprints.push(part.fingerprint);
    }
  } finally {
    if (!options.pool) await pool.close();
  }
  return { sources, columns, ...whole.finish(), fingerprints };
}

interface SourcePart {
  /** Of disjoint parts of the source's rows. */
  states: PartState[];
  fingerprint?: string;
}

async function readSource(
  source: DataSource,
  columns: string[],
  options: ProfileDataOptions & { pool: WorkerPool },
): Promise<SourcePart> {
  const file = source.path;
  const local = file !== undefined && (source.format === "csv" || source.format === "tsv");
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const parallel = local && workers > 1 && (await stat(file)).size >= PARALLEL_MIN_BYTES;
  // Booting while the hints are guessed (drift samples the file's head) and the ranges found.
  if (parallel) options.pool.prestart(workers - 1);
  // A local file is fingerprinted by its bytes, so its cells need not be hashed and may be typed.
  const hints = local ? await options.hints?.(source) : undefined;
  if (parallel) return readParallel(source, file, columns, hints, workers, options);
  const part = new Part(columns, source.columns, options.jobs ?? {});
  const hash = options.fingerprint && !file ? createHash("sha256") : undefined;
  const fingerprint = options.fingerprint && file ? fileFingerprint(file) : undefined;
  fingerprint?.catch(() => {});
  let rows = 0;
  for await (const batch of source.batches({ typed: hints })) {
    part.add(batch);
    if (hash) hashBatch(hash, batch.columns, batch.size);
    rows += batch.size;
    options.logger.progress("rows", rows);
  }
  const hashed = hash && `sha256:${hash.digest("hex")}`;
  return { states: [part.toState()], fingerprint: (await fingerprint) ?? hashed };
}

/**
 * One byte range per core: this thread reads the first (and hashes the whole file, interleaved,
 * when fingerprinting), workers the others. Fewer threads than cores would leave a core idle; one
 * more isolate than needed costs ~40 MB.
 */
async function readParallel(
  source: DataSource,
  file: string,
  columns: string[],
  hints: ColumnHint[] | undefined,
  workers: number,
  options: ProfileDataOptions & { pool: WorkerPool },
): Promise<SourcePart> {
  const read = { ...options.read, cwd: options.cwd, delimiter: options.read?.delimiter ?? source.delimiter };
  // Hashing the whole file besides, this thread takes a smaller share of the rows.
  const lead = options.fingerprint ? LEAD_SHARE_HASHING : LEAD_SHARE;
  const shares = Array.from({ length: workers }, (_, i) => (i === 0 ? lead : 1));
  const ranges = await (await readers()).csvByteRanges(file, workers, read, shares);
  options.logger.debug(`reading ${source.name} on ${ranges.length} threads`);
  const jobs = options.jobs ?? {};
  // Shared by the threads, so they stop keeping a column's exact values once all of them together have too many.
  const counts = jobs.exact ? new Int32Array(new SharedArrayBuffer(4 * columns.length)) : undefined;
  const tasks = ranges.map(
    (range): RangeTask => ({ file, name: source.name, range, read, columns, hints, jobs, counts }),
  );
  const remote = tasks.slice(1).map((task) => options.pool.run<PartState>(task));
  // Settled here too, so a failing worker never leaves an unhandled rejection while this thread reads.
  const others = Promise.all(remote);
  others.catch(() => {});
  const fingerprint = options.fingerprint ? fileFingerprint(file) : undefined;
  fingerprint?.catch(() => {});
  const states = [await readRange(tasks[0]!), ...(await others)];
  return { states, fingerprint: await fingerprint };
}

/**
 * Share of the rows the calling thread reads, relative to each worker's 1. Finding the ranges and
 * merging costs it about what booting costs a worker (which prestart overlaps with the former).
 */
const LEAD_SHARE = 1;
const LEAD_SHARE_HASHING = 0.85;

export interface RangeTask {
  file: string;
  name: string;
  range: ByteRange;
  read: ReadOptions;
  columns: string[];
  hints: ColumnHint[] | undefined;
  jobs: Jobs;
  /** Per column, exact values kept by all threads (on a SharedArrayBuffer). */
  counts?: Int32Array;
}

/** Profiles (and runs the jobs over) one byte range of a CSV file; what each thread runs in readParallel. */
export async function readRange(task: RangeTask): Promise<PartState> {
  // The options passed parseReadOptions in csvByteRanges.
  const source = openCheckedCsvRange(task.file, task.range, { ...task.read, displayName: task.name });
  const part = new Part(task.columns, source.columns, task.jobs, task.counts);
  for await (const batch of source.batches({ typed: task.hints })) part.add(batch);
  return part.toState();
}

export interface PartState {
  profile: ProfileState;
  validator?: ValidatorState;
  exact?: ExactState;
}

/** The profile of some rows and the jobs' results over them; parts over disjoint rows merge. */
class Part {
  private readonly profile: ProfileBuilder;
  private readonly validator?: ValidationRun;
  private readonly exact?: ExactValues;
  private readonly align: (batch: Batch) => Batch;

  /** `header`: the source's columns, as its batches come; `columns`: the profile's. */
  constructor(columns: string[], header: string[], jobs: Jobs, counts?: Int32Array) {
    this.profile = new ProfileBuilder(columns, jobs.missing);
    if (jobs.validate)
      this.validator = new ValidationRun(jobs.validate.schema, header, jobs.validate.options);
    if (jobs.exact) this.exact = new ExactValues(columns, counts);
    this.align = aligner(header, columns);
  }

  add(batch: Batch): void {
    this.validator?.add(batch);
    const aligned = this.align(batch);
    this.profile.add(aligned);
    this.exact?.add(aligned);
  }

  merge(state: PartState): void {
    this.profile.merge(ProfileBuilder.fromState(state.profile));
    if (state.validator) this.validator?.merge(state.validator);
    if (state.exact) this.exact?.merge(state.exact);
  }

  toState(): PartState {
    return {
      profile: this.profile.toState(),
      validator: this.validator?.toState(),
      exact: this.exact?.toState(),
    };
  }

  finish(): Pick<ProfiledData, "profile" | "validator" | "exact"> {
    return { profile: this.profile, validator: this.validator, exact: this.exact };
  }
}

/** Lays a source's batches (typed views too) out on `columns`, which include all of `header`. */
function aligner(header: string[], columns: string[]): (batch: Batch) => Batch {
  if (header.length === columns.length && header.every((name, i) => name === columns[i])) return (b) => b;
  const where = columns.map((name) => header.indexOf(name));
  return (batch) => {
    const nulls = new Array(batch.size).fill(null);
    return {
      ...batch,
      columns: where.map((c) => (c >= 0 ? batch.columns[c]! : nulls)),
      numbers: batch.numbers && where.map((c) => (c >= 0 ? batch.numbers![c] : undefined)),
      text: batch.text && where.map((c) => (c >= 0 ? batch.text![c] : undefined)),
    };
  };
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
