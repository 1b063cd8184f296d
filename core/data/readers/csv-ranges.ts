import { stat } from "node:fs/promises";
import { fsError } from "../../errors.js";
import type { DataSource, ReadOptions } from "../types.js";
import { readChunksAhead } from "./bytes.js";
import { readCsvHeader } from "./csv-header.js";
import type { ByteRange } from "./csv-range.js";
import { delimiterFor, localFile, openCheckedCsvRange } from "./csv-range.js";
import { parseReadOptions } from "./schema.js";
import type { LocalFile } from "./types.js";

export type { ByteRange } from "./csv-range.js";

const QUOTE = 34;
const LF = 10;

/**
 * Splits a local CSV/TSV file after its header into at most `parts` byte ranges that start on record
 * boundaries, for parallel reading. A newline is a boundary when the number of quote bytes before it
 * is even, so quoted newlines never split a record. Always returns at least one range. `shares`
 * (one positive number per part) sizes the parts relative to each other; equal by default.
 */
export async function csvByteRanges(
  file: string,
  parts: number,
  options: ReadOptions = {},
  shares?: readonly number[],
): Promise<ByteRange[]> {
  parseReadOptions(options);
  const local = localFile(file, options);
  const header = await readCsvHeader(local, delimiterFor(local, options));
  const size = (await stat(local.path).catch((error: unknown) => Promise.reject(fsError(error, local.name))))
    .size;
  const body = size - header.endByte;
  const count = Math.max(1, Math.floor(parts));
  const weights = Array.from({ length: count }, (_, i) => {
    const share = shares?.[i] ?? 1;
    return Number.isFinite(share) && share > 0 ? share : 1;
  });
  const total = weights.reduce((sum, w) => sum + w, 0);
  const targets: number[] = [];
  let before = 0;
  for (let i = 1; i < count; i++) {
    before += weights[i - 1]!;
    targets.push(header.endByte + Math.floor((before * body) / total));
  }
  const starts = [
    { start: header.endByte, firstLine: header.nextLine },
    ...(await boundaries(local, targets)),
  ];
  const ranges: ByteRange[] = [];
  for (const [i, { start, firstLine }] of starts.entries()) {
    const end = starts[i + 1]?.start ?? size;
    if (end > start || ranges.length === 0) ranges.push({ start, end, firstLine });
  }
  return ranges;
}

/** For each target offset (ascending), the first record boundary at or after it, with its line. */
async function boundaries(
  file: LocalFile,
  targets: number[],
): Promise<Array<{ start: number; firstLine: number }>> {
  const found: Array<{ start: number; firstLine: number }> = [];
  if (targets.length === 0) return found;
  let t = 0;
  let quotes = 0;
  let newlines = 0;
  let base = 0;
  for await (const chunk of readChunksAhead(file.path, file.name)) {
    let nq = chunk.indexOf(QUOTE);
    for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, nl + 1)) {
      while (nq !== -1 && nq < nl) {
        quotes++;
        nq = chunk.indexOf(QUOTE, nq + 1);
      }
      newlines++;
      const boundary = base + nl + 1;
      if (boundary < targets[t]! || (quotes & 1) === 1) continue;
      found.push({ start: boundary, firstLine: newlines + 1 });
      while (t < targets.length && targets[t]! <= boundary) t++;
      if (t === targets.length) return found;
    }
    while (nq !== -1) {
      quotes++;
      nq = chunk.indexOf(QUOTE, nq + 1);
    }
    base += chunk.length;
  }
  return found;
}

/** Streams one range from csvByteRanges; the header is read from the start of the file. */
export function openCsvRange(file: string, range: ByteRange, options: ReadOptions = {}): DataSource {
  return openCheckedCsvRange(file, range, parseReadOptions(options));
}
