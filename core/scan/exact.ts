import type { Batch, Cell } from "../data/types.js";
import { parseNumber } from "../profile/cells.js";

/** Finite values kept per column for exact tests; past this a column relies on its sketch alone. */
export const EXACT_LIMIT = 100_000;

/** Values per storage chunk: chunks, not a doubling array, so growing leaves no garbage. */
const CHUNK = 8192;

/** Plain data that structured clone sends between threads; `null` marks a column past the limit. */
export interface ExactState {
  columns: string[];
  values: (Float64Array | null)[];
}

/** One column's values: full chunks, then `last` filled up to `fill`. */
interface Column {
  chunks: Float64Array[];
  last: Float64Array;
  fill: number;
  size: number;
}

/**
 * Keeps every finite number of each column while there are at most EXACT_LIMIT of them: exact KS and
 * Wasserstein on small data cost little, and large data is what the sketches are for. No sampling.
 * Parts over disjoint rows merge into exactly the whole (values are sorted at the end).
 */
export class ExactValues {
  private kept: (Column | null)[];

  /**
   * `shared`: per column, the count of values all threads reading parts of the same data have seen
   * (Atomics), so each drops a column once the whole has too many, not only once its own part has.
   */
  constructor(
    readonly columns: string[],
    private readonly shared?: Int32Array,
  ) {
    this.kept = columns.map(() => ({ chunks: [], last: new Float64Array(CHUNK), fill: 0, size: 0 }));
  }

  /** Reads typed batches too (`Batch.numbers`, `Batch.text`), where the cells hold only the odd value. */
  add(batch: Batch): void {
    for (let c = 0; c < this.columns.length; c++) {
      const column = this.kept[c];
      if (!column) continue;
      const cells = batch.columns[c]!;
      const numbers = batch.numbers?.[c];
      const text = batch.text?.[c];
      let { last, fill } = column;
      let added = 0;
      for (let r = 0; r < batch.size; r++) {
        let x: number;
        if (numbers !== undefined && !Number.isNaN(numbers[r]!)) x = numbers[r]!;
        else if (text !== undefined && text.codes[r]! >= 0) x = cellNumber(text.values[text.codes[r]!]!);
        else x = cellNumber(cells[r]);
        if (x - x !== 0) continue;
        if (fill === CHUNK) {
          column.chunks.push(last);
          last = new Float64Array(CHUNK);
          fill = 0;
        }
        last[fill++] = x;
        added++;
      }
      column.last = last;
      column.fill = fill;
      column.size += added;
      // Checked per batch: a column may pass the limit by a batch before it is dropped.
      const total = this.shared ? Atomics.add(this.shared, c, added) + added : column.size;
      if (total > EXACT_LIMIT || column.size > EXACT_LIMIT) this.kept[c] = null;
    }
  }

  merge(other: ExactValues | ExactState): void {
    const state = other instanceof ExactValues ? other.toState() : other;
    if (state.columns.join("\u0000") !== this.columns.join("\u0000")) {
      throw new Error(
        `cannot merge exact values of different columns: [${this.columns}] and [${state.columns}]`,
      );
    }
    state.values.forEach((theirs, c) => {
      const column = this.kept[c];
      if (!column) return;
      if (theirs === null || column.size + theirs.length > EXACT_LIMIT) {
        this.kept[c] = null;
        return;
      }
      // Their values go in as a chunk of their own; the order is lost anyway in sorting.
      column.chunks.push(column.last.subarray(0, column.fill), theirs);
      column.last = new Float64Array(CHUNK);
      column.fill = 0;
      column.size += theirs.length;
    });
  }

  toState(): ExactState {
    return { columns: [...this.columns], values: this.kept.map((column) => column && joined(column)) };
  }

  static fromState(state: ExactState): ExactValues {
    const exact = new ExactValues(state.columns);
    exact.merge(state);
    return exact;
  }

  /** Sorted values of the columns that stayed under the limit. */
  finish(): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    this.columns.forEach((name, c) => {
      const column = this.kept[c];
      if (column) out.set(name, joined(column).sort());
    });
    return out;
  }
}

function joined(column: Column): Float64Array {
  const out = new Float64Array(column.size);
  let at = 0;
  for (const chunk of column.chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  out.set(column.last.subarray(0, column.fill), at);
  return out;
}

function cellNumber(cell: Cell | undefined): number {
  if (typeof cell === "number") return cell;
  return typeof cell === "string" && cell !== "" ? parseNumber(cell) : Number.NaN;
}
