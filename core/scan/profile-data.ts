import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { readChunksAhead } from "../data/readers/bytes.js";
import { type ByteRange, openCheckedCsvRange } from "../data/readers/csv-range.js";
import type { ColumnHint, DataSource, ReadOptions } from "../data/types.js";
import type { Logger } from "../ports.js";
import { type ProfileBuilder, unionColumns } from "../profile/builder.js";
import type { ValidationRun } from "../validate/run.js";
import type { ExactValues } from "./exact.js";
import { type Jobs, Part, type PartState } from "./part.js";
import { WorkerPool } from "./workers.js";

export type { Jobs } from "./part.js";

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

/** The dist/ entry (and core/pipeline file) running readRanges; named for its first user. */
export const RANGE_WORKER = "validate-worker";

/**
 * Opening data (every reader, zod for the options) is for the lead thread alone: loaded when first
 * needed, so worker threads, which import this file for readRanges, never load it (~5 MB a thread).
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
      whole.mergeSource(part.states);
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
  // In ranges even on one thread, so the profile is the same to the bit however many threads read it.
  const parallel = local && (await stat(file)).size >= PARALLEL_MIN_BYTES;
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
 * The file after its header in byte ranges of about RANGE_BYTES, handed out on demand: this thread
 * and the workers each take the next range when done with the last (an atomic counter both read),
 * so no core waits at the end while another finishes a large share. This thread also hashes the
 * whole file, interleaved, when fingerprinting. Ranges depend on the file alone, never on the
 * threads, so the profile comes out the same on any machine (see Moments).
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
  const shares = rangeShares((await stat(file)).size);
  const ranges = await (await readers()).csvByteRanges(file, shares.length, read, shares);
  options.logger.debug(`reading ${source.name} in ${ranges.length} ranges on ${workers} threads`);
  const jobs = options.jobs ?? {};
  // Shared by the threads, so they stop keeping a column's exact values once all of them together have too many.
  const counts = jobs.exact ? new Int32Array(new SharedArrayBuffer(4 * columns.length)) : undefined;
  const next = new Int32Array(new SharedArrayBuffer(4));
  const task: RangeTask = { file, name: source.name, ranges, next, read, columns, hints, jobs, counts };
  const helpers = Math.min(workers, ranges.length) - 1;
  const remote = Array.from({ length: helpers }, () => options.pool.run<PartState | undefined>(task));
  // Settled here too, so a failing worker never leaves an unhandled rejection while this thread reads.
  const others = Promise.all(remote);
  others.catch(() => {});
  const fingerprint = options.fingerprint ? fileFingerprint(file) : undefined;
  fingerprint?.catch(() => {});
  const states = [await readRanges(task), ...(await others)];
  return { states: states.filter((state) => state !== undefined), fingerprint: await fingerprint };
}

/**
 * Range sizes for a file of `size` bytes, largest first: each a quarter of what is left, at least
 * MIN_RANGE_BYTES. Few ranges (a range costs a file open, a flushed batch, a held moment), and small
 * ones at the end, so the threads finish within a small range of each other. 150 MB: 12 ranges, 1.3 GB: 20.
 */
export function rangeShares(size: number): number[] {
  const shares: number[] = [];
  let left = size;
  while (left > 0) {
    const share = Math.min(left, Math.max(MIN_RANGE_BYTES, Math.ceil(left / 4)));
    shares.push(share);
    left -= share;
  }
  return shares;
}

const MIN_RANGE_BYTES = 4 << 20;

export interface RangeTask {
  file: string;
  name: string;
  /** The whole file's ranges; each thread takes the next one not taken (`next`). */
  ranges: ByteRange[];
  /** The index of the next range to read, shared by all threads (on a SharedArrayBuffer). */
  next: Int32Array;
  read: ReadOptions;
  columns: string[];
  hints: ColumnHint[] | undefined;
  jobs: Jobs;
  /** Per column, exact values kept by all threads (on a SharedArrayBuffer). */
  counts?: Int32Array;
}

/**
 * Profiles (and runs the jobs over) byte ranges of a CSV file until none is left; what each thread
 * runs in readParallel. One part for all the ranges a thread reads: parts merge in any order.
 */
export async function readRanges(task: RangeTask): Promise<PartState | undefined> {
  let taken = 0;
  const next = () => {
    const i = Atomics.add(task.next, 0, 1);
    if (i < task.ranges.length) taken++;
    return task.ranges[i];
  };
  // The options passed parseReadOptions in csvByteRanges.
  const source = openCheckedCsvRange(task.file, next, { ...task.read, displayName: task.name });
  const part = new Part(task.columns, source.columns, task.jobs, task.counts);
  for await (const batch of source.batches({ typed: task.hints })) part.add(batch);
  // Undefined when every range was taken before this thread asked.
  return taken > 0 ? part.toState() : undefined;
}

export async function fileFingerprint(file: string): Promise<string> {
  const hash = createHash("sha256");
  // Two reused buffers: this thread allocates too little to collect 150 chunk buffers soon.
  for await (const chunk of readChunksAhead(file, file)) hash.update(chunk);
  return `sha256:${hash.digest("hex")}`;
}

function hashBatch(hash: ReturnType<typeof createHash>, columns: unknown[][], size: number) {
  for (let r = 0; r < size; r++) {
    let line = "";
    for (const column of columns) line += `${JSON.stringify(column[r] ?? null)}\u001f`;
    hash.update(line);
  }
}
