import type { Batch, Cell } from "../data/types.js";
import { cellKey } from "../profile/cells.js";
import { fmix, hashKey } from "../profile/hash.js";
import type { RowChange, RowsByContent, RowsById } from "./schema.js";

const SEED = 0x9747b28c;
const TWO_32 = 4294967296;
const MISSING = -1;

/**
 * A cell as two independent 32-bit hashes packed into one exact 53-bit number, so a change goes
 * unnoticed only if both collide. Cells compare as values: "1.0", "1" and 1 are equal, "" and null too.
 */
export function cellHash(cell: Cell | undefined): number {
  const key = cellKey(cell);
  if (key === undefined) return MISSING;
  return hashKey(key) + (hashKey(key, SEED) & 0x1fffff) * TWO_32;
}

function rowHash(batch: Batch, at: number[], r: number): number {
  let a = 0x811c9dc5;
  let b = SEED;
  for (const c of at) {
    const h = cellHash(batch.columns[c]![r]);
    a = fmix(Math.imul(a ^ (h >>> 0), 0x01000193));
    b = fmix(Math.imul(b ^ (Math.floor(h / TWO_32) | 0), 0x5bd1e995));
  }
  return (a >>> 0) + (b & 0x1fffff) * TWO_32;
}

function idOf(cell: Cell | undefined): string | undefined {
  if (cell === null || cell === undefined || cell === "") return undefined;
  return typeof cell === "string" ? cell : String(cell);
}

/** Matches rows by id: the old side is indexed (id -> row, and each compared cell's hash), the new side streams past. */
export class IdMatcher {
  private readonly rows = new Map<string, number>();
  private hashes = new Float64Array(1024);
  private matched = new Uint8Array(0);
  private readonly seenNew = new Set<string>();
  private readonly result: RowsById;

  /** `columns` are the ones compared: both sides have them, the id aside. */
  constructor(
    id: string,
    private readonly columns: string[],
    private readonly maxExamples: number,
  ) {
    this.result = {
      id,
      added: 0,
      removed: 0,
      changed: 0,
      unchanged: 0,
      changedColumns: Object.fromEntries(columns.map((c) => [c, 0])),
      missingIds: { old: 0, new: 0 },
      duplicates: { old: 0, new: 0, examples: [] },
      examples: { added: [], removed: [], changed: [] },
    };
  }

  /** `idAt` and `at` index `batch.columns`: the id, and `columns` in order. */
  addOld(batch: Batch, idAt: number, at: number[]): void {
    const width = this.columns.length;
    const ids = batch.columns[idAt]!;
    for (let r = 0; r < batch.size; r++) {
      const id = idOf(ids[r]);
      if (id === undefined) this.result.missingIds.old++;
      else if (this.rows.has(id)) this.duplicate("old", id);
      else {
        const row = this.rows.size;
        this.rows.set(id, row);
        if ((row + 1) * width > this.hashes.length) this.growHashes((row + 1) * width);
        for (let j = 0; j < width; j++) this.hashes[row * width + j] = cellHash(batch.columns[at[j]!]![r]);
      }
    }
  }

  addNew(batch: Batch, idAt: number, at: number[]): void {
    if (this.matched.length < this.rows.size) this.matched = new Uint8Array(this.rows.size);
    const width = this.columns.length;
    const ids = batch.columns[idAt]!;
    const examples = this.result.examples;
    for (let r = 0; r < batch.size; r++) {
      const id = idOf(ids[r]);
      if (id === undefined) {
        this.result.missingIds.new++;
        continue;
      }
      if (this.seenNew.has(id)) {
        this.duplicate("new", id);
        continue;
      }
      this.seenNew.add(id);
      const row = this.rows.get(id);
      if (row === undefined) {
        this.result.added++;
        if (examples.added.length < this.maxExamples) examples.added.push(id);
        continue;
      }
      this.matched[row] = 1;
      let changed: string[] | undefined;
      for (let j = 0; j < width; j++) {
        if (this.hashes[row * width + j] !== cellHash(batch.columns[at[j]!]![r])) {
          const column = this.columns[j]!;
          changed ??= [];
          changed.push(column);
          this.result.changedColumns[column]!++;
        }
      }
      if (changed === undefined) this.result.unchanged++;
      else {
        this.result.changed++;
        if (examples.changed.length < this.maxExamples)
          examples.changed.push({ id, columns: changed } satisfies RowChange);
      }
    }
  }

  finish(): RowsById {
    for (const [id, row] of this.rows) {
      if (this.matched[row] === 1) continue;
      this.result.removed++;
      if (this.result.examples.removed.length < this.maxExamples) this.result.examples.removed.push(id);
    }
    return this.result;
  }

  private duplicate(side: "old" | "new", id: string): void {
    this.result.duplicates[side]++;
    const examples = this.result.duplicates.examples;
    if (examples.length < this.maxExamples && !examples.includes(id)) examples.push(id);
  }

  private growHashes(needed: number): void {
    const grown = new Float64Array(Math.max(needed, this.hashes.length * 2));
    grown.set(this.hashes);
    this.hashes = grown;
  }
}

/** Without an id: the rows as a multiset, compared by a hash of each whole row. */
export class ContentMatcher {
  private readonly counts = new Map<number, number>();
  private added = 0;
  private unchanged = 0;

  addOld(batch: Batch, at: number[]): void {
    for (let r = 0; r < batch.size; r++) {
      const h = rowHash(batch, at, r);
      this.counts.set(h, (this.counts.get(h) ?? 0) + 1);
    }
  }

  addNew(batch: Batch, at: number[]): void {
    for (let r = 0; r < batch.size; r++) {
      const h = rowHash(batch, at, r);
      const left = this.counts.get(h);
      if (left) {
        this.counts.set(h, left - 1);
        this.unchanged++;
      } else this.added++;
    }
  }

  finish(): RowsByContent {
    let removed = 0;
    for (const left of this.counts.values()) removed += left;
    return { added: this.added, removed, unchanged: this.unchanged };
  }
}
