import { UserError } from "../errors.js";
import { locate } from "./locators/index.js";
import { decompressed } from "./readers/compressed.js";
import { readerFor } from "./readers/registry.js";
import { parseReadOptions } from "./readers/schema.js";
import type { Cell, DataSource, RaggedRow, ReadOptions } from "./types.js";

export { type ByteRange, csvByteRanges, openCsvRange } from "./readers/csv-ranges.js";

/**
 * Opens a local path, a glob (matches sorted) or an http(s) URL. Relative paths are taken against
 * `options.cwd` when given, else as given. Every file of a glob must have the same header.
 */
export async function openData(location: string, options: ReadOptions = {}): Promise<DataSource[]> {
  parseReadOptions(options);
  const files = await locate(location, options);
  const sources: DataSource[] = [];
  for (const found of files) {
    const file = await decompressed(found);
    const reader = await readerFor(file, options.format);
    sources.push(await reader.open(file, { delimiter: options.delimiter }));
  }
  const [first] = sources;
  for (const other of sources.slice(1)) {
    if (first && !sameColumns(first.columns, other.columns)) {
      throw new UserError(
        `header differs from ${first.name}: found [${other.columns.join(", ")}], expected [${first.columns.join(", ")}]`,
        { file: other.name, line: 1 },
        1,
      );
    }
  }
  return sources;
}

/** Opens a location that must name exactly one file. */
export async function openOne(location: string, options: ReadOptions = {}): Promise<DataSource> {
  const sources = await openData(location, options);
  if (sources.length !== 1) {
    const names = sources.map((s) => s.name);
    throw new UserError(
      `matches ${sources.length} files (${names.slice(0, 3).join(", ")}...); expected exactly one`,
      {
        file: location,
      },
    );
  }
  return sources[0]!;
}

export interface Table {
  columns: string[];
  /** `data[c][r]`: column c of row r, as in a Batch. */
  data: Cell[][];
  lines: Int32Array;
  ragged: RaggedRow[];
}

/** The whole source in memory, column by column (for training). */
export async function readTable(source: DataSource): Promise<Table> {
  const data: Cell[][] = source.columns.map(() => []);
  const lineParts: Int32Array[] = [];
  const ragged: RaggedRow[] = [];
  let rows = 0;
  for await (const batch of source.batches()) {
    for (let c = 0; c < data.length; c++) {
      const column = data[c]!;
      const part = batch.columns[c]!;
      for (let r = 0; r < batch.size; r++) column.push(part[r]!);
    }
    lineParts.push(batch.lines.subarray(0, batch.size));
    for (const row of batch.ragged) ragged.push(row);
    rows += batch.size;
  }
  const lines = new Int32Array(rows);
  let offset = 0;
  for (const part of lineParts) {
    lines.set(part, offset);
    offset += part.length;
  }
  return { columns: [...source.columns], data, lines, ragged };
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
