import { extname } from "node:path";
import { UserError } from "../../errors.js";
import type { FormatName } from "../types.js";
import { readHead } from "./bytes.js";
import { csvReader, tsvReader } from "./csv.js";
import { describeDocument, isRecord, jsonReader, knownShape, readJson } from "./json.js";
import { jsonlReader } from "./jsonl.js";
import { parquetReader } from "./parquet.js";
import type { LocalFile, Reader } from "./types.js";

/** Every data format modelgate reads; the contract test loops over this map. */
export const readers: ReadonlyMap<FormatName, Reader> = new Map<FormatName, Reader>([
  ["csv", csvReader],
  ["tsv", tsvReader],
  ["jsonl", jsonlReader],
  ["json", jsonReader],
  ["parquet", parquetReader],
]);

const LFS_POINTER = "version https://git-lfs.github.com/spec/v1";
const SNIFF_BYTES = 4096;
const HTML = /^\s*(<!doctype html|<html|<head|<body|<!--)/i;

/**
 * The reader for a file: forced, else by extension, else by its first bytes. Refuses Git LFS
 * pointers, HTML pages and JSON documents that are not records (GeoJSON, TopoJSON, graphs), exit 2.
 */
export async function readerFor(file: LocalFile, format?: FormatName): Promise<Reader> {
  const head = await readHead(file.path, file.name, SNIFF_BYTES);
  const text = head.toString("latin1").replace(/^\xEF\xBB\xBF/, "");
  if (text.startsWith(LFS_POINTER)) {
    throw new UserError(
      "this is a Git LFS pointer, not the data; fetch LFS files in the checkout " +
        "(actions/checkout with `lfs: true`, or run `git lfs pull`)",
      { file: file.name },
      2,
    );
  }
  if (format) return readers.get(format)!;
  if (head.subarray(0, 4).toString("latin1") === "PAR1") return parquetReader;
  if (HTML.test(text))
    throw new UserError(
      "this is an HTML page, not data; expected CSV, TSV, JSON or Parquet",
      { file: file.name },
      2,
    );
  const extension = extname(file.path).toLowerCase();
  const start = text.trimStart();
  if (extension === ".json" || (byExtension(extension) === undefined && /^[[{]/.test(start)))
    return jsonKind(file, start);
  return byExtension(extension) ?? csvReader;
}

function byExtension(extension: string): Reader | undefined {
  for (const reader of readers.values()) if (reader.extensions.includes(extension)) return reader;
  return undefined;
}

/** `.json` holds an array of records, JSON Lines, or one document: the last is refused, naming what it is. */
async function jsonKind(file: LocalFile, start: string): Promise<Reader> {
  if (start.startsWith("[")) return jsonReader;
  const firstLine = start.split("\n", 1)[0]!.trim();
  const first = firstLine.endsWith("}") ? tryParse(firstLine) : undefined;
  if (isRecord(first) && !knownShape(first)) return jsonlReader;
  const document = isRecord(first) ? first : tryParse(await readJson(file));
  if (isRecord(document)) {
    throw new UserError(
      `this is ${describeDocument(document)}; expected tabular data: records in a JSON array or JSON Lines`,
      { file: file.name },
      2,
    );
  }
  throw new UserError(
    "not valid JSON; expected an array of records or JSON Lines (one object per line)",
    { file: file.name, line: 1 },
    2,
  );
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
