import type { GridData } from "./schema.js";

/**
 * An equal-width histogram kept beside the quantile sketch. The sketch's buckets are relative to the
 * value (0.5% wide: 10 units at 1,000, 20 years at 2000, half a day at epoch seconds), so a column
 * whose spread is small next to its offset loses its shape there. The grid's buckets are 2^exponent
 * wide, on multiples of that width, with at most GRID_BUCKETS between min and max: about 0.1% of the
 * range whatever the offset.
 *
 * Exactly mergeable: the exponent is the smallest that fits the range (and keeps GRID_BITS of
 * precision), which only grows as the range grows, and a coarser grid is the finer one's buckets
 * added in pairs. So the grid of a whole equals the merge of the grids of its parts.
 */
export const GRID_BUCKETS = 1024;
/** Buckets are never narrower than 2^-GRID_BITS of the largest magnitude (no false precision). */
const GRID_BITS = 40;
/** Exponents where x * 2^-exponent stays a finite double for every finite x of that range. */
const MIN_EXPONENT = -1000;
const MAX_EXPONENT = 1023;

export class NumericGrid {
  /** Bucket width is 2^exponent; undefined until the first value. */
  exponent: number | undefined = undefined;
  /** counts[j] belongs to bucket offset + j, i.e. [(offset + j) w, (offset + j + 1) w). */
  offset = 0;
  counts = new Float64Array(GRID_BUCKETS);
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  /** Adds the first `n` values (finite) whose minimum and maximum are `lo` and `hi`. */
  addMany(values: Float64Array, n: number, lo: number, hi: number): void {
    if (n === 0) return;
    this.fit(Math.min(this.min, lo), Math.max(this.max, hi));
    const scale = 2 ** -this.exponent!;
    const offset = this.offset;
    const counts = this.counts;
    for (let i = 0; i < n; i++) counts[Math.floor(values[i]! * scale) - offset]!++;
  }

  merge(other: NumericGrid): void {
    if (other.exponent === undefined) return;
    this.fit(Math.min(this.min, other.min), Math.max(this.max, other.max));
    const shift = 2 ** (this.exponent! - other.exponent);
    const o = other.counts;
    for (let j = 0; j < o.length; j++) {
      if (o[j]! > 0) this.counts[Math.floor((other.offset + j) / shift) - this.offset]! += o[j]!;
    }
  }

  /** Widens (coarsens) and shifts the buckets so that [lo, hi] fits. */
  private fit(lo: number, hi: number): void {
    const exponent = Math.max(this.exponent ?? MIN_EXPONENT, fittingExponent(lo, hi));
    const offset = Math.floor(lo * 2 ** -exponent);
    if (exponent === this.exponent && offset === this.offset) {
      this.min = lo;
      this.max = hi;
      return;
    }
    const counts = new Float64Array(GRID_BUCKETS);
    if (this.exponent !== undefined) {
      const shift = 2 ** (exponent - this.exponent);
      const old = this.counts;
      for (let j = 0; j < old.length; j++) {
        if (old[j]! > 0) counts[Math.floor((this.offset + j) / shift) - offset]! += old[j]!;
      }
    }
    this.exponent = exponent;
    this.offset = offset;
    this.counts = counts;
    this.min = lo;
    this.max = hi;
  }

  /** Trimmed of empty buckets at both ends, as plain arrays for JSON. */
  toData(): GridData | undefined {
    if (this.exponent === undefined) return undefined;
    let lo = 0;
    let hi = this.counts.length;
    while (lo < hi && this.counts[lo] === 0) lo++;
    while (hi > lo && this.counts[hi - 1] === 0) hi--;
    return {
      exponent: this.exponent,
      offset: this.offset + lo,
      counts: Array.from(this.counts.subarray(lo, hi)),
    };
  }

  /** From stored data and the column's min and max (the sketch's). */
  static fromData(data: GridData, min: number, max: number): NumericGrid {
    const grid = new NumericGrid();
    grid.exponent = data.exponent;
    grid.offset = data.offset;
    grid.counts = new Float64Array(Math.max(GRID_BUCKETS, data.counts.length));
    grid.counts.set(data.counts);
    grid.min = min;
    grid.max = max;
    return grid;
  }
}

/** The smallest exponent whose buckets span [lo, hi] in at most GRID_BUCKETS, with the precision floor. */
export function fittingExponent(lo: number, hi: number): number {
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
  const floor = magnitude > 0 ? Math.floor(Math.log2(magnitude)) - GRID_BITS : MIN_EXPONENT;
  let exponent = Math.max(MIN_EXPONENT, floor);
  if (hi > lo) {
    // log2 only estimates; start below the answer and step up to the first that fits.
    exponent = Math.max(exponent, Math.floor(Math.log2((hi - lo) / GRID_BUCKETS)) - 2);
    while (exponent < MAX_EXPONENT && span(lo, hi, exponent) > GRID_BUCKETS) exponent++;
  }
  return Math.min(exponent, MAX_EXPONENT);
}

function span(lo: number, hi: number, exponent: number): number {
  const scale = 2 ** -exponent;
  return Math.floor(hi * scale) - Math.floor(lo * scale) + 1;
}

/**
 * Point masses in ascending order, the shape every drift method and the diff read: a sketch's
 * buckets or a grid's.
 */
export interface Points {
  count: number;
  min: number;
  max: number;
  value: Float64Array;
  weight: Float64Array;
  source: "grid" | "sketch";
  /** Grids: the bucket width. */
  width?: number;
}

/**
 * A grid's non-empty buckets as points: a whole number's bucket (when buckets are at most 1 wide)
 * stands at that number, other buckets at their middle; all kept within [min, max].
 */
export function gridPoints(data: GridData, min: number, max: number, integer: boolean): Points {
  const width = 2 ** data.exponent;
  const value: number[] = [];
  const weight: number[] = [];
  data.counts.forEach((count, j) => {
    if (count <= 0) return;
    const lower = (data.offset + j) * width;
    const at = integer && width <= 1 ? Math.ceil(lower) : lower + width / 2;
    value.push(Math.min(max, Math.max(min, at)));
    weight.push(count);
  });
  const count = weight.reduce((s, c) => s + c, 0);
  return {
    count,
    min,
    max,
    value: Float64Array.from(value),
    weight: Float64Array.from(weight),
    source: "grid",
    width,
  };
}
