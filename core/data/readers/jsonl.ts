import { UserError } from "../../errors.js";
import type { Batch, BatchOptions, Cell, DataSource } from "../types.js";
import { BatchBuilder } from "./batch.js";
import { countNewlinesIn, MAX_RECORD_CHARS, readChunks, Utf8Chunks } from "./bytes.js";
import { utf8Error } from "./csv-header.js";
import { DEFAULT_BATCH_SIZE, type LocalFile, type Reader } from "./types.js";

/** The header is the union of the keys of this many first records. */
export const HEADER_RECORDS = 1000;

export const jsonlReader: Reader = {
  format: "jsonl",
  extensions: [".jsonl", ".ndjson"],
  open: openJsonl,
};

async function openJsonl(file: LocalFile): Promise<DataSource> {
  const keys = new Set<string>();
  let records = 0;
  let nonBlank = 0;
  scan: for await (const lines of jsonLines(file)) {
    for (const text of lines.texts) {
      nonBlank++;
      const value = tryParse(text);
      if (!isRecord(value)) {
        if (nonBlank >= HEADER_RECORDS) break scan;
        continue;
      }
      for (const key of Object.keys(value)) keys.add(key);
      if (++records >= HEADER_RECORDS) break scan;
    }
  }
  if (nonBlank === 0)
    throw new UserError("empty file: expected one JSON object per line", { file: file.name }, 1);
  if (records === 0) {
    throw new UserError(
      `no JSON object on the first ${HEADER_RECORDS} non-blank lines; expected JSON Lines (one object per line)`,
      { file: file.name },
      1,
    );
  }
  const columns = [...keys];
  return {
    name: file.name,
    format: "jsonl",
    columns,
    batches: (options: BatchOptions = {}) => jsonlBatches(file, columns, options),
  };
}

async function* jsonlBatches(
  file: LocalFile,
  columns: string[],
  options: BatchOptions,
): AsyncGenerator<Batch> {
  const index = new Map(columns.map((name, i) => [name, i]));
  const builder = new BatchBuilder(columns.length, options.batchSize ?? DEFAULT_BATCH_SIZE);
  for await (const { texts, lines } of jsonLines(file)) {
    options.signal?.throwIfAborted();
    for (let i = 0; i < texts.length; i++) addRecord(builder, texts[i]!, lines[i]!, columns, index);
    yield* builder.done.splice(0);
  }
  builder.flush();
  yield* builder.done.splice(0);
}

function addRecord(
  builder: BatchBuilder,
  text: string,
  line: number,
  columns: string[],
  index: Map<string, number>,
): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    builder.reject({ line, cells: 0, reason: `invalid JSON: ${message}` });
    return;
  }
  if (!isRecord(value)) {
    const cells = Array.isArray(value) ? value.length : 1;
    builder.reject({ line, cells, reason: `expected a JSON object, found ${kindOf(value)}` });
    return;
  }
  const keys = Object.keys(value);
  const extra = keys.find((key) => !index.has(key));
  if (extra !== undefined) {
    builder.reject({
      line,
      cells: keys.length,
      reason: `key '${extra}' is not in the header (the keys of the first ${HEADER_RECORDS} records)`,
    });
    return;
  }
  const row = builder.size;
  for (let c = 0; c < columns.length; c++) builder.cols[c]![row] = toCell(value[columns[c]!]);
  builder.commit(line);
}

function toCell(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** The non-blank lines of a file, chunk by chunk, with their 1-based line numbers. */
async function* jsonLines(file: LocalFile): AsyncGenerator<{ texts: string[]; lines: number[] }> {
  const decoder = new Utf8Chunks(true);
  let rest = "";
  let line = 1;
  const split = (s: string, final: boolean) => {
    const texts: string[] = [];
    const lines: number[] = [];
    let p = 0;
    for (;;) {
      let nl = s.indexOf("\n", p);
      if (nl === -1) {
        if (!final || p >= s.length) break;
        nl = s.length;
      }
      const text = s.slice(p, nl).trim();
      if (text !== "") {
        texts.push(text);
        lines.push(line);
      }
      line++;
      p = nl + 1;
    }
    rest = s.slice(Math.min(p, s.length));
    if (rest.length > MAX_RECORD_CHARS) {
      throw new UserError(
        `a line longer than ${MAX_RECORD_CHARS} characters (16 MiB)`,
        { file: file.name, line },
        1,
      );
    }
    return { texts, lines };
  };
  const decode = (chunk: Buffer | undefined) => {
    try {
      return chunk ? decoder.decode(chunk, false) : decoder.finish();
    } catch (error) {
      throw utf8Error(error, file.name, line + countNewlinesIn(rest));
    }
  };
  for await (const chunk of readChunks(file.path, file.name)) yield split(rest + decode(chunk), false);
  yield split(rest + decode(undefined), true);
}
