import { readFile, stat } from "node:fs/promises";
import { fsError, UserError } from "../../errors.js";
import type { Batch, BatchOptions, Cell, DataSource } from "../types.js";
import { BatchBuilder } from "./batch.js";
import { DEFAULT_BATCH_SIZE, type LocalFile, type Reader } from "./types.js";

/** A JSON document is parsed whole; past this, JSON Lines (streamed) is the format to use. */
export const MAX_JSON_BYTES = 512 * 1024 ** 2;

/** A JSON array of records (`[{"a": 1}, ...]`), one row per object; the header is the union of their keys. */
export const jsonReader: Reader = {
  format: "json",
  extensions: [],
  open: openJsonArray,
};

interface Elements {
  text: string;
  /** Per top-level element: start and end offsets (end exclusive) and the line it starts on. */
  starts: number[];
  ends: number[];
  lines: number[];
}

async function openJsonArray(file: LocalFile): Promise<DataSource> {
  const text = await readJson(file);
  const elements = scanArray(text, file);
  const keys = new Set<string>();
  for (let i = 0; i < elements.starts.length; i++) {
    const value = parseAt(elements, i, file);
    if (!isRecord(value)) {
      throw new UserError(
        `element ${i + 1} of the array is ${kindOf(value)}; expected an array of records (JSON objects)`,
        { file: file.name, line: elements.lines[i] },
        2,
      );
    }
    for (const key of Object.keys(value)) keys.add(key);
  }
  if (elements.starts.length === 0)
    throw new UserError("an empty JSON array: expected records", { file: file.name }, 1);
  const columns = [...keys];
  return {
    name: file.name,
    format: "json",
    columns,
    batches: (options: BatchOptions = {}) => arrayBatches(elements, columns, file, options),
  };
}

async function* arrayBatches(
  elements: Elements,
  columns: string[],
  file: LocalFile,
  options: BatchOptions,
): AsyncGenerator<Batch> {
  const builder = new BatchBuilder(columns.length, options.batchSize ?? DEFAULT_BATCH_SIZE);
  for (let i = 0; i < elements.starts.length; i++) {
    const record = parseAt(elements, i, file) as Record<string, unknown>;
    const row = builder.size;
    for (let c = 0; c < columns.length; c++) builder.cols[c]![row] = toCell(record[columns[c]!]);
    builder.commit(elements.lines[i]!);
    if (builder.done.length > 0) {
      options.signal?.throwIfAborted();
      yield* builder.done.splice(0);
    }
  }
  builder.flush();
  yield* builder.done.splice(0);
}

export async function readJson(file: LocalFile): Promise<string> {
  const size = (await stat(file.path).catch((error: unknown) => Promise.reject(fsError(error, file.name))))
    .size;
  if (size > MAX_JSON_BYTES) {
    throw new UserError(
      `a JSON document of ${size} bytes; documents over ${MAX_JSON_BYTES} bytes are not read whole, write JSON Lines (one record per line)`,
      { file: file.name },
      2,
    );
  }
  const bytes = await readFile(file.path).catch((error: unknown) =>
    Promise.reject(fsError(error, file.name)),
  );
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UserError("bytes that are not valid UTF-8; expected UTF-8 text", { file: file.name }, 1);
  }
}

/** Finds the top-level elements of a JSON array without parsing them (strings and nesting tracked). */
function scanArray(text: string, file: LocalFile): Elements {
  const starts: number[] = [];
  const ends: number[] = [];
  const lines: number[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n && isSpace(text.charCodeAt(i))) if (text.charCodeAt(i++) === 10) line++;
  if (text.charCodeAt(i) !== 91) throw new UserError("expected a JSON array", { file: file.name, line }, 2);
  i++;
  let depth = 1;
  let start = -1;
  let inString = false;
  let lineStart = text.lastIndexOf("\n", i) + 1;
  let commas = 0;
  const empty = (at: number): never => {
    throw new UserError(
      `invalid JSON: an empty element at column ${at - lineStart + 1} (two commas, or a comma before ']')`,
      { file: file.name, line },
      1,
    );
  };
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    }
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
    if (depth === 0) {
      if (start >= 0) {
        starts.push(start);
        ends.push(i);
      } else if (commas > 0) empty(i);
      start = -1;
      break;
    }
    if (depth === 1 && c === 44) {
      if (start < 0) empty(i);
      starts.push(start);
      ends.push(i);
      commas++;
      start = -1;
      continue;
    }
    if (start < 0 && !isSpace(c)) {
      start = i;
      lines.push(line);
    }
  }
  if (depth !== 0)
    throw new UserError(
      "the JSON array is not closed; expected ']' at the end",
      { file: file.name, line },
      1,
    );
  refuseTrailing(text, i + 1, { file, line, lineStart });
  return { text, starts, ends, lines };
}

/** After the array's closing ']' only whitespace may follow: `[..][..]` is two documents, not one array. */
function refuseTrailing(
  text: string,
  from: number,
  at: { file: LocalFile; line: number; lineStart: number },
): void {
  let { line, lineStart } = at;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    }
    if (isSpace(c)) continue;
    throw new UserError(
      `text after the JSON array's closing ']' at column ${i - lineStart + 1} (a second array or value?); expected one JSON array of records, or JSON Lines`,
      { file: at.file.name, line },
      2,
    );
  }
}

function parseAt(elements: Elements, i: number, file: LocalFile): unknown {
  try {
    return JSON.parse(elements.text.slice(elements.starts[i], elements.ends[i]));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`invalid JSON: ${message}`, { file: file.name, line: elements.lines[i] }, 1);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

export function toCell(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const GEOMETRIES = new Set([
  "Point",
  "MultiPoint",
  "LineString",
  "MultiLineString",
  "Polygon",
  "MultiPolygon",
  "GeometryCollection",
]);

/** What a JSON document that is one object (not records) holds, for the refusal message. */
export function describeDocument(value: Record<string, unknown>): string {
  const known = knownShape(value);
  if (known) return known;
  const keys = Object.keys(value);
  const shown = keys.slice(0, 6).join(", ") + (keys.length > 6 ? ", ..." : "");
  return `one JSON object with keys ${shown || "(none)"} (nested data, not records)`;
}

/** GeoJSON, TopoJSON or a graph, told by their keys: never records, even on one line. */
export function knownShape(value: Record<string, unknown>): string | undefined {
  const type = value.type;
  if (
    type === "FeatureCollection" ||
    type === "Feature" ||
    (typeof type === "string" && GEOMETRIES.has(type))
  )
    return `GeoJSON (a ${type})`;
  if (type === "Topology") return "TopoJSON (a Topology)";
  if (Array.isArray(value.nodes) && (Array.isArray(value.links) || Array.isArray(value.edges)))
    return `a graph (${value.nodes.length} nodes and their ${Array.isArray(value.links) ? "links" : "edges"})`;
  return undefined;
}
