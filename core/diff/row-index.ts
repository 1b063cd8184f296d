import { z } from "zod";
import type { ColumnTable } from "../data/split.js";
import { fmix } from "../profile/hash.js";
import { cellHash } from "./rows.js";

/** Written beside profile.json in every trained model folder; the registry keeps it with the version. */
export const DATA_INDEX = "data-index.json";
/** Rows a part keeps hashes for; above it only the count is kept (16 bytes a row, ~2 MB of base64 at the cap). */
export const ROW_INDEX_CAP = 100_000;

const TWO_32 = 4294967296;
const PARTS = ["train", "test"] as const;
export type Part = (typeof PARTS)[number];

const IndexPart = z.strictObject({
  rows: z.number().int().nonnegative(),
  /** base64 of float64 pairs [id hash, row hash] (or [row hash] without an id); absent above the cap. */
  hashes: z
    .string()
    .max(ROW_INDEX_CAP * 2 * 8 * 2)
    .optional(),
});
export const RowIndex = z.strictObject({
  version: z.literal(1),
  id: z.string().min(1).max(200).optional(),
  columns: z.array(z.string().max(200)).max(10_000).describe("the hashed columns, sorted, the id aside"),
  parts: z.strictObject({ train: IndexPart, test: IndexPart.optional() }),
});
export type RowIndex = z.infer<typeof RowIndex>;

/** One row's cells (the id aside, columns by name so a reordering is no change) as one 53-bit number. */
function rowHash(table: ColumnTable, at: number[], r: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (const c of at) {
    const h = cellHash(table.data[c]![r]);
    a = fmix(Math.imul(a ^ (h >>> 0), 0x01000193));
    b = fmix(Math.imul(b ^ (Math.floor(h / TWO_32) | 0), 0x5bd1e995));
  }
  return (a >>> 0) + (b & 0x1fffff) * TWO_32;
}

function indexPart(table: ColumnTable, id: string | undefined): z.infer<typeof IndexPart> {
  const rows = table.data[0]?.length ?? 0;
  if (rows > ROW_INDEX_CAP) return { rows };
  const names = table.columns.filter((c) => c !== id).sort();
  const at = names.map((c) => table.columns.indexOf(c));
  const idAt = id === undefined ? -1 : table.columns.indexOf(id);
  const width = idAt < 0 ? 1 : 2;
  const hashes = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    if (idAt >= 0) hashes[r * 2] = cellHash(table.data[idAt]![r]);
    hashes[r * width + width - 1] = rowHash(table, at, r);
  }
  return { rows, hashes: Buffer.from(hashes.buffer).toString("base64") };
}

/** The index of a model's training and test rows, keyed by `id` when the data has that column. */
export function buildRowIndex(train: ColumnTable, test: ColumnTable | undefined, id?: string): RowIndex {
  const keyed = id !== undefined && train.columns.includes(id) ? id : undefined;
  return {
    version: 1,
    ...(keyed ? { id: keyed } : {}),
    columns: train.columns.filter((c) => c !== keyed).sort(),
    parts: { train: indexPart(train, keyed), ...(test ? { test: indexPart(test, keyed) } : {}) },
  };
}

function hashesOf(part: z.infer<typeof IndexPart>, width: number): Float64Array | undefined {
  if (part.hashes === undefined) return undefined;
  const bytes = Buffer.from(part.hashes, "base64");
  if (bytes.length !== part.rows * width * 8) return undefined;
  // A copy: Buffer's pool offset need not be 8-byte aligned.
  return new Float64Array(new Uint8Array(bytes).buffer);
}

export interface PartRows {
  part: Part;
  old?: number;
  new: number;
  added?: number;
  removed?: number;
  changed?: number;
}

export interface RowsDiff {
  parts: PartRows[];
  matchedBy: "id" | "rows" | "counts";
  notes: string[];
}

/** Rows added, removed and changed between two indexes; a row moved between train and test is no change. */
export function diffRowIndexes(before: RowIndex, after: RowIndex): RowsDiff {
  const parts = PARTS.filter((p) => after.parts[p] !== undefined || before.parts[p] !== undefined);
  const counts = (): PartRows[] =>
    parts.map((part) => ({ part, old: before.parts[part]?.rows ?? 0, new: after.parts[part]?.rows ?? 0 }));
  if (before.id !== after.id) {
    const name = (id: string | undefined) => (id === undefined ? "none" : `"${id}"`);
    return {
      parts: counts(),
      matchedBy: "counts",
      notes: [`the id column changed (${name(before.id)} → ${name(after.id)}): row counts only`],
    };
  }
  const width = before.id === undefined ? 1 : 2;
  const load = (index: RowIndex) =>
    parts.map((p) => {
      const part = index.parts[p];
      return part ? hashesOf(part, width) : new Float64Array(0);
    });
  const old = load(before);
  const now = load(after);
  if (old.some((h) => h === undefined) || now.some((h) => h === undefined)) {
    return {
      parts: counts(),
      matchedBy: "counts",
      notes: [`over ${ROW_INDEX_CAP.toLocaleString("en-US")} rows in a part: counts from profiles only`],
    };
  }
  const notes =
    before.columns.join("\n") === after.columns.join("\n")
      ? []
      : ["the columns differ, so every row both sides have counts as changed"];
  const tallies = parts.map((part, i) => ({
    part,
    old: before.parts[part]?.rows ?? 0,
    new: after.parts[part]?.rows ?? 0,
    added: 0,
    removed: 0,
    changed: 0,
    at: i,
  }));
  if (width === 2) matchById(old as Float64Array[], now as Float64Array[], tallies);
  else matchRows(old as Float64Array[], now as Float64Array[], tallies);
  return {
    parts: tallies.map(({ at: _, ...rest }) => rest),
    matchedBy: width === 2 ? "id" : "rows",
    notes,
  };
}

type Tally = { added: number; removed: number; changed: number };

function matchById(old: Float64Array[], now: Float64Array[], tallies: Tally[]): void {
  const rows = new Map<number, { hash: number; part: number; matched: boolean }>();
  old.forEach((hashes, part) => {
    for (let r = 0; r < hashes.length; r += 2) {
      const id = hashes[r]!;
      // Rows without an id (-1) and repeated ids are left out: the first row with an id is compared.
      if (id !== -1 && !rows.has(id)) rows.set(id, { hash: hashes[r + 1]!, part, matched: false });
    }
  });
  const seen = new Set<number>();
  now.forEach((hashes, part) => {
    for (let r = 0; r < hashes.length; r += 2) {
      const id = hashes[r]!;
      if (id === -1 || seen.has(id)) continue;
      seen.add(id);
      const row = rows.get(id);
      if (!row) tallies[part]!.added++;
      else {
        row.matched = true;
        if (row.hash !== hashes[r + 1]) tallies[part]!.changed++;
      }
    }
  });
  for (const row of rows.values()) if (!row.matched) tallies[row.part]!.removed++;
}

/** Without an id the rows are a multiset: a row is added or removed whole, never "changed". */
function matchRows(old: Float64Array[], now: Float64Array[], tallies: Tally[]): void {
  const left = new Map<number, number[]>();
  old.forEach((hashes, part) => {
    for (const h of hashes) {
      const counts = left.get(h) ?? old.map(() => 0);
      counts[part]!++;
      left.set(h, counts);
    }
  });
  now.forEach((hashes, part) => {
    for (const h of hashes) {
      const counts = left.get(h);
      const from = counts ? (counts[part]! > 0 ? part : counts.findIndex((n) => n > 0)) : -1;
      if (from < 0) tallies[part]!.added++;
      else counts![from]!--;
    }
  });
  for (const counts of left.values()) {
    counts.forEach((n, part) => {
      tallies[part]!.removed += n;
    });
  }
}
