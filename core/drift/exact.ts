import type { Batch } from "../data/types.js";
import { parseNumber } from "../profile/cells.js";

/** Finite values kept per column for exact tests; past this a column relies on its sketch alone. */
export const EXACT_LIMIT = 100_000;

/**
 * Keeps every finite number of each column while there are at most EXACT_LIMIT of them: exact KS and
 * Wasserstein on small data cost little, and large data is what the sketches are for. No sampling.
 */
export class ExactValues {
  private values: (Float64Array | null)[];
  private sizes: number[];

  constructor(readonly columns: string[]) {
    this.values = columns.map(() => new Float64Array(1024));
    this.sizes = columns.map(() => 0);
  }

  add(batch: Batch): void {
    for (let c = 0; c < this.columns.length; c++) {
      let values: Float64Array | null = this.values[c] ?? null;
      if (values === null) continue;
      const cells = batch.columns[c]!;
      let k = this.sizes[c]!;
      for (let r = 0; r < batch.size; r++) {
        const cell = cells[r];
        const x =
          typeof cell === "number"
            ? cell
            : typeof cell === "string" && cell !== ""
              ? parseNumber(cell)
              : Number.NaN;
        if (x - x !== 0) continue;
        if (k === values.length) {
          if (k >= EXACT_LIMIT) {
            values = null;
            break;
          }
          const grown: Float64Array = new Float64Array(Math.min(EXACT_LIMIT, k * 2));
          grown.set(values);
          values = grown;
        }
        values[k++] = x;
      }
      this.values[c] = values;
      this.sizes[c] = k;
    }
  }

  /** Sorted values of the columns that stayed under the limit. */
  finish(): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    this.columns.forEach((name, c) => {
      const values = this.values[c];
      if (values) out.set(name, values.slice(0, this.sizes[c]).sort());
    });
    return out;
  }
}
