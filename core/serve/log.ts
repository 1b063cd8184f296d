import { type FileHandle, mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Prediction } from "../model/index.js";
import type { Logger } from "../ports.js";
import { predictionRows } from "./rows.js";

export interface PredictionLogOptions {
  /** JSON Lines file; rotated files are FILE.1 (newest) to FILE.keep. */
  file: string;
  /** Rotate before a write would take the file past this size. Default 100 MiB. */
  maxBytes?: number;
  /** Rotated files to keep. Default 5. */
  keep?: number;
  /** How long lines wait in memory before a write. Default 200 ms. */
  flushIntervalMs?: number;
  /** Rows held in memory (queued or being written) at most; past it new rows are dropped (and counted) so serving never waits. */
  maxPendingRows?: number;
}

/** One request's predictions; written as one line per row, serialised off the request path. */
export interface PredictionEntry {
  requestId: string;
  /** Epoch milliseconds. */
  time: number;
  model: string;
  version: string;
  /** The rows as received; only `columns` are logged, so `inputs` stays a flat row of feature values. */
  rows: Record<string, unknown>[];
  columns: string[];
  prediction: Prediction;
}

export interface PredictionLog {
  append(entry: PredictionEntry): void;
  /** Writes everything appended so far. */
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly dropped: number;
}

/**
 * The prediction log drift monitoring reads as current data: each line is
 * `{requestId, time, model, version, row, inputs, outputs}` with `inputs` a flat row of raw feature values.
 * Lines are serialised and written off the request path, in batches, one write at a time.
 */
export async function openPredictionLog(
  options: PredictionLogOptions,
  logger: Logger,
): Promise<PredictionLog> {
  const interval = options.flushIntervalMs ?? 200;
  const maxPending = options.maxPendingRows ?? 100_000;
  const file = await openRotating(options.file, options.maxBytes ?? 100 * 1024 * 1024, options.keep ?? 5);
  let pending: PredictionEntry[] = [];
  // Rows appended but not yet on disk, queued or being written: what bounds memory when the disk is slow.
  let bufferedRows = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let failed = false;

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const entries = pending;
    pending = [];
    if (entries.length === 0) return writing;
    const rows = entries.reduce((n, e) => n + e.rows.length, 0);
    writing = writing.then(() =>
      file
        .write(linesOf(entries))
        .then(
          () => {
            failed = false;
          },
          (error: unknown) => {
            dropped += rows;
            // Once per failure streak: a full disk must not flood the log.
            if (!failed) logger.error(`prediction log ${options.file}: ${(error as Error).message}`);
            failed = true;
          },
        )
        .finally(() => {
          bufferedRows -= rows;
        }),
    );
    return writing;
  };

  return {
    append(entry) {
      if (bufferedRows + entry.rows.length > maxPending) {
        dropped += entry.rows.length;
        return;
      }
      pending.push(entry);
      bufferedRows += entry.rows.length;
      if (!timer) timer = setTimeout(flush, interval);
    },
    flush,
    async close() {
      await flush();
      await file.close();
    },
    get dropped() {
      return dropped;
    },
  };
}

/** One line per row of each entry. */
function* linesOf(entries: PredictionEntry[]): Generator<string> {
  for (const entry of entries) {
    const { requestId, model, version } = entry;
    const time = new Date(entry.time).toISOString();
    // `row` gives each row of a batched request its own id (requestId:row) for late labels.
    const head = `${JSON.stringify({ requestId, time, model, version }).slice(0, -1)},"row":`;
    const outputs = predictionRows(entry.prediction);
    for (let r = 0; r < entry.rows.length; r++) {
      const inputs: Record<string, unknown> = {};
      for (const column of entry.columns) {
        const value = entry.rows[r]![column];
        // The id column is passed through unchecked; a nested value would not be a data cell.
        inputs[column] = typeof value === "object" && value !== null ? JSON.stringify(value) : value;
      }
      yield `${head}${r},"inputs":${JSON.stringify(inputs)},"outputs":${JSON.stringify(outputs[r])}}\n`;
    }
  }
}

interface RotatingFile {
  /** Appends the lines, rotating first whenever the next line would take the file past its size. */
  write(lines: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

/** An append-only file rotated to FILE.1 (newest) ... FILE.keep at `maxBytes`. */
async function openRotating(file: string, maxBytes: number, keep: number): Promise<RotatingFile> {
  await mkdir(path.dirname(file), { recursive: true });
  let handle: FileHandle = await open(file, "a");
  let size = (await handle.stat()).size;

  const rotate = async () => {
    await handle.close();
    await rm(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      await rename(`${file}.${i}`, `${file}.${i + 1}`).catch(() => {});
    }
    if (keep > 0) await rename(file, `${file}.1`);
    else await rm(file, { force: true });
    handle = await open(file, "a");
    size = 0;
  };

  return {
    async write(lines) {
      let chunk = "";
      let chunkBytes = 0;
      for (const line of lines) {
        const bytes = Buffer.byteLength(line);
        if (size + chunkBytes + bytes > maxBytes && size + chunkBytes > 0) {
          if (chunk) await handle.write(chunk);
          size += chunkBytes;
          chunk = "";
          chunkBytes = 0;
          await rotate();
        }
        chunk += line;
        chunkBytes += bytes;
      }
      if (chunk) await handle.write(chunk);
      size += chunkBytes;
    },
    close: () => handle.close(),
  };
}
