import { extname, isAbsolute, resolve } from "node:path";
import type { DataSource, ReadOptions } from "../types.js";
import { checkDelimiter, csvSource } from "./csv.js";
import { readCsvHeaderSync } from "./csv-header.js";
import type { LocalFile } from "./types.js";

// Apart from csv-ranges.ts so worker threads reading ranges load no zod (readers/schema.ts): ~5 MB a thread.

/** Bytes [start, end) of a CSV file, starting on a record boundary; its first record is on `firstLine`. */
export interface ByteRange {
  start: number;
  end: number;
  firstLine: number;
}

/**
 * openCsvRange for options parseReadOptions has passed already (csvByteRanges, on the lead thread).
 * `range` may be a function giving one range after another (undefined when none is left): one
 * parser then reads them all, in that order.
 */
export function openCheckedCsvRange(
  file: string,
  range: ByteRange | (() => ByteRange | undefined),
  options: ReadOptions,
): DataSource {
  const local = localFile(file, options);
  const delimiter = delimiterFor(local, options);
  const header = readCsvHeaderSync(local, delimiter);
  const format = delimiter === "\t" ? "tsv" : "csv";
  return csvSource(local, format, delimiter, header.columns, range);
}

export function localFile(file: string, options: ReadOptions): LocalFile {
  const path = options.cwd && !isAbsolute(file) ? resolve(options.cwd, file) : file;
  return { path, name: options.displayName ?? file };
}

export function delimiterFor(file: LocalFile, options: ReadOptions): string {
  const tsv =
    options.format === "tsv" ||
    (!options.format && [".tsv", ".tab"].includes(extname(file.path).toLowerCase()));
  const delimiter = options.delimiter ?? (tsv ? "\t" : ",");
  checkDelimiter(delimiter);
  return delimiter;
}
