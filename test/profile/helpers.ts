import type { Batch, Cell, DataSource } from "../../core/data/types.js";

/** A small seeded PRNG (mulberry32), so random tests are repeatable. */
export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A batch from rows given as arrays of cells in column order. */
export function batchOf(rows: Cell[][], width = rows[0]?.length ?? 0): Batch {
  const columns = Array.from({ length: width }, (_, c) => rows.map((row) => row[c] ?? null));
  return { columns, size: rows.length, lines: Int32Array.from(rows, (_, r) => r + 2), ragged: [] };
}

/** A batch with one column. */
export function columnBatch(cells: Cell[]): Batch {
  return batchOf(
    cells.map((cell) => [cell]),
    1,
  );
}

/** An in-memory DataSource that hands out `rows` in batches of `batchSize`. */
export function memorySource(name: string, columns: string[], rows: Cell[][], batchSize = 3): DataSource {
  return {
    name,
    format: "csv",
    columns,
    async *batches() {
      for (let start = 0; start < rows.length; start += batchSize) {
        yield batchOf(rows.slice(start, start + batchSize), columns.length);
      }
    },
  };
}
