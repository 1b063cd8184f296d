import type { Batch, Cell } from "../../core/data/types.js";
import type { ColumnView } from "../../core/drift/index.js";
import { type DatasetProfile, ProfileBuilder, QuantileSketch } from "../../core/profile/index.js";

/** A small seeded PRNG (mulberry32), so random tests are repeatable. */
export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normals(n: number, seed: number, shift = 0): number[] {
  const random = mulberry32(seed);
  return Array.from(
    { length: n },
    () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) + shift,
  );
}

/** Values the Python reference script can rebuild exactly: ((i * step) % mod) / scale + shift. */
export function lattice(n: number, step: number, mod: number, scale: number, shift = 0): number[] {
  return Array.from({ length: n }, (_, i) => ((i * step) % mod) / scale + shift);
}

/** One side of a numeric column with its exact values, as a raw read small data. */
export function numericView(values: number[]): ColumnView {
  const sorted = Float64Array.from(values).sort();
  const sketch = new QuantileSketch();
  sketch.addMany(Float64Array.from(values), values.length);
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
  return { n: values.length, sorted, sketch, mean, std };
}

export function categoryView(counts: Record<string, number>): ColumnView {
  const map = new Map(Object.entries(counts));
  return { n: [...map.values()].reduce((s, x) => s + x, 0), counts: map };
}

/** A profile of named columns of equal length, profiled in batches of 8192 like a reader's. */
export function profileOf(columns: Record<string, Cell[]>): DatasetProfile {
  const names = Object.keys(columns);
  const builder = new ProfileBuilder(names);
  const rows = columns[names[0]!]!.length;
  for (let start = 0; start < rows; start += 8192) {
    const size = Math.min(8192, rows - start);
    const batch: Batch = {
      columns: names.map((name) => columns[name]!.slice(start, start + size)),
      size,
      lines: new Int32Array(size),
      ragged: [],
    };
    builder.add(batch);
  }
  return builder.finish();
}

/** Categories drawn with the given weights. */
export function categories(n: number, seed: number, values: string[], weights: number[]): string[] {
  const random = mulberry32(seed);
  const total = weights.reduce((s, w) => s + w, 0);
  return Array.from({ length: n }, () => {
    let u = random() * total;
    for (let i = 0; i < values.length; i++) {
      u -= weights[i]!;
      if (u < 0) return values[i]!;
    }
    return values.at(-1)!;
  });
}
