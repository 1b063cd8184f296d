import { mulberry32 } from "../stats/random.js";
import type { Cell } from "./types.js";

export interface ColumnTable {
  columns: string[];
  data: Cell[][];
  lines?: Int32Array;
  /** When rows come from several files: the files' names, and each row's index into them. */
  files?: { names: string[]; index: Uint16Array };
}

/**
 * Seeded train/test split; stratified by `stratifyBy` (each class keeps its share, at least one
 * row on each side when it has two or more). Train and evaluate call this with the same arguments,
 * so the test rows are the same rows in both without being stored anywhere.
 */
export function splitRows(
  rows: number,
  options: { test: number; seed: number; stratifyBy?: Cell[] },
): { train: Int32Array; test: Int32Array } {
  const random = mulberry32(options.seed);
  const groups = new Map<string, number[]>();
  for (let r = 0; r < rows; r++) {
    const key = options.stratifyBy ? String(options.stratifyBy[r] ?? "") : "";
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
    let take = Math.round(group.length * options.test);
    // A class with one row is learnt, never tested; two or more put at least one row on each side.
    if (group.length >= 2) take = Math.min(group.length - 1, Math.max(1, take));
    else take = 0;
    test.push(...group.slice(0, take));
    train.push(...group.slice(take));
  }
  return {
    train: Int32Array.from(train.sort((a, b) => a - b)),
    test: Int32Array.from(test.sort((a, b) => a - b)),
  };
}

export function takeRows<T extends ColumnTable>(table: T, rows: Int32Array): T {
  return {
    ...table,
    data: table.data.map((column) => Array.from(rows, (r) => column[r]!)),
    lines: table.lines ? Int32Array.from(rows, (r) => table.lines![r]!) : undefined,
    files: table.files
      ? { names: table.files.names, index: Uint16Array.from(rows, (r) => table.files!.index[r]!) }
      : undefined,
  };
}
