import type { Batch, Cell, DataSource, RaggedRow } from "../../core/data/types.js";
import { DataSchema, type DataSchemaInput } from "../../core/data-schema/schema.js";

/** A batch of rows as a reader would make it: rows start on `firstLine` (the header is line 1). */
export function batchOf(rows: Cell[][], options: { firstLine?: number; ragged?: RaggedRow[] } = {}): Batch {
  const width = rows[0]?.length ?? 0;
  const first = options.firstLine ?? 2;
  return {
    columns: Array.from({ length: width }, (_, c) => rows.map((row) => row[c] ?? null)),
    size: rows.length,
    lines: Int32Array.from(rows, (_, r) => first + r),
    ragged: options.ragged ?? [],
  };
}

/** Splits rows into batches of `size`, numbering lines on from 2. */
export function batchesOf(rows: Cell[][], size: number): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start < rows.length; start += size) {
    batches.push(batchOf(rows.slice(start, start + size), { firstLine: 2 + start }));
  }
  return batches;
}

export function schemaOf(input: DataSchemaInput): DataSchema {
  return DataSchema.parse(input);
}

export function sourceOf(name: string, columns: string[], batches: Batch[]): DataSource {
  return {
    name,
    format: "csv",
    columns,
    async *batches() {
      yield* batches;
    },
  };
}
