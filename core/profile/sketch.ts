import {
  bucketValue,
  HI,
  indexFromWords,
  LO,
  lowerBound,
  MAPPING,
  RELATIVE_ACCURACY,
  upperBound,
} from "./mapping.js";
import type { SketchData } from "./schema.js";

/**
 * A DDSketch-style quantile sketch (Masson, Rim & Lee, VLDB 2019): values fall into near-logarithmic
 * buckets (mapping.ts), so any quantile is returned within RELATIVE_ACCURACY of the true value at that
 * rank. Buckets are fixed by the accuracy alone, hence two sketches share boundaries, and merging is
 * bucket-count addition: the merge of two halves equals the sketch of the whole.
 */
export { RELATIVE_ACCURACY } from "./mapping.js";

const GROW_SLACK = 128;

/** A dense run of bucket counts; counts[j] belongs to bucket index offset + j. */
export class BucketStore {
  constructor(
    public offset = 0,
    public counts = new Float64Array(0),
  ) {}

  add(index: number, count = 1): void {
    const j = index - this.offset;
    if (j >= 0 && j < this.counts.length) this.counts[j]! += count;
    else this.grow(index, count);
  }

  private grow(index: number, count: number): void {
    const empty = this.counts.length === 0;
    const start = empty ? index - GROW_SLACK : Math.min(this.offset, index - GROW_SLACK);
    const end = empty ? index + GROW_SLACK : Math.max(this.offset + this.counts.length, index + GROW_SLACK);
    const counts = new Float64Array(end - start);
    if (!empty) counts.set(this.counts, this.offset - start);
    counts[index - start]! += count;
    this.offset = start;
    this.counts = counts;
  }

  merge(other: BucketStore): void {
    const o = other.counts;
    for (let j = 0; j < o.length; j++) if (o[j]! > 0) this.add(other.offset + j, o[j]!);
  }

  /** Trimmed of empty buckets at both ends, as plain arrays for JSON. */
  toData(): { offset: number; counts: number[] } {
    let lo = 0;
    let hi = this.counts.length;
    while (lo < hi && this.counts[lo] === 0) lo++;
    while (hi > lo && this.counts[hi - 1] === 0) hi--;
    return { offset: lo < hi ? this.offset + lo : 0, counts: Array.from(this.counts.subarray(lo, hi)) };
  }
}

/** One bucket, in ascending value order; `value` is the estimate returned for anything inside it. */
export interface Bucket {
  lower: number;
  upper: number;
  value: number;
  count: number;
}

export class QuantileSketch {
  readonly positive = new BucketStore();
  readonly negative = new BucketStore();
  zero = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  /** Adds the first `n` values of `values`; they must be finite. */
  addMany(values: Float64Array, n: number): void {
    const pos = this.positive;
    const neg = this.negative;
    const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
    // The positive store is hoisted into locals; only a value outside it takes the slow path.
    let posCounts = pos.counts;
    let posOffset = pos.offset;
    let min = this.min;
    let max = this.max;
    let zero = 0;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
      if (x === 0) {
        zero++;
        continue;
      }
      const index = indexFromWords(words[2 * i + HI]!, words[2 * i + LO]!);
      if (x < 0) neg.add(index);
      else {
        const j = index - posOffset;
        if (j >= 0 && j < posCounts.length) posCounts[j]!++;
        else {
          pos.add(index);
          posCounts = pos.counts;
          posOffset = pos.offset;
        }
      }
    }
    this.zero += zero;
    this.count += n;
    this.min = min;
    this.max = max;
  }

  add(x: number): void {
    this.addMany(Float64Array.of(x), 1);
  }

  merge(other: QuantileSketch): void {
    this.positive.merge(other.positive);
    this.negative.merge(other.negative);
    this.zero += other.zero;
    this.count += other.count;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** Every non-empty bucket, ascending: negatives (largest magnitude first), zero, positives. */
  buckets(): Bucket[] {
    const out: Bucket[] = [];
    const neg = this.negative.counts;
    for (let j = neg.length - 1; j >= 0; j--) {
      if (neg[j]! > 0) {
        const i = this.negative.offset + j;
        out.push({
          lower: -upperBound(i),
          upper: -lowerBound(i),
          value: -bucketValue(i),
          count: neg[j]!,
        });
      }
    }
    if (this.zero > 0) out.push({ lower: 0, upper: 0, value: 0, count: this.zero });
    const pos = this.positive.counts;
    for (let j = 0; j < pos.length; j++) {
      if (pos[j]! > 0) {
        const i = this.positive.offset + j;
        out.push({ lower: lowerBound(i), upper: upperBound(i), value: bucketValue(i), count: pos[j]! });
      }
    }
    return out;
  }

  /** The value at rank q * (count - 1), within RELATIVE_ACCURACY; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const rank = q * (this.count - 1);
    let seen = 0;
    for (const bucket of this.buckets()) {
      seen += bucket.count;
      if (seen > rank) return Math.min(Math.max(bucket.value, this.min), this.max);
    }
    return this.max;
  }

  /** Share of values <= x, counting each bucket at its estimate; NaN when empty. */
  cdf(x: number): number {
    if (this.count === 0) return Number.NaN;
    if (x < this.min) return 0;
    if (x >= this.max) return 1;
    let seen = 0;
    for (const bucket of this.buckets()) {
      if (bucket.value > x) break;
      seen += bucket.count;
    }
    return seen / this.count;
  }

  toData(): SketchData {
    const empty = this.count === 0;
    return {
      relativeAccuracy: RELATIVE_ACCURACY,
      mapping: MAPPING,
      count: this.count,
      min: empty ? null : this.min + 0,
      max: empty ? null : this.max + 0,
      zero: this.zero,
      positive: this.positive.toData(),
      negative: this.negative.toData(),
    };
  }

  static fromData(data: SketchData): QuantileSketch {
    const sketch = new QuantileSketch();
    sketch.positive.offset = data.positive.offset;
    sketch.positive.counts = Float64Array.from(data.positive.counts);
    sketch.negative.offset = data.negative.offset;
    sketch.negative.counts = Float64Array.from(data.negative.counts);
    sketch.zero = data.zero;
    sketch.count = data.count;
    sketch.min = data.min ?? Number.POSITIVE_INFINITY;
    sketch.max = data.max ?? Number.NEGATIVE_INFINITY;
    return sketch;
  }
}

/** Two sketches' buckets on shared boundaries (the union of both, ascending), for PSI, JS, KS and friends. */
export function alignedHistogram(
  a: QuantileSketch,
  b: QuantileSketch,
): { lower: number[]; upper: number[]; value: number[]; a: number[]; b: number[] } {
  const out = {
    lower: [] as number[],
    upper: [] as number[],
    value: [] as number[],
    a: [] as number[],
    b: [] as number[],
  };
  const ba = a.buckets();
  const bb = b.buckets();
  let i = 0;
  let j = 0;
  while (i < ba.length || j < bb.length) {
    const x = ba[i];
    const y = bb[j];
    const pick = x && (!y || x.value <= y.value) ? x : y!;
    const inA = x !== undefined && x.value === pick.value;
    const inB = y !== undefined && y.value === pick.value;
    out.lower.push(pick.lower);
    out.upper.push(pick.upper);
    out.value.push(pick.value);
    out.a.push(inA ? x.count : 0);
    out.b.push(inB ? y.count : 0);
    if (inA) i++;
    if (inB) j++;
  }
  return out;
}

/** First Wasserstein (earth mover's) distance between two sketched distributions; NaN if either is empty. */
export function wasserstein(a: QuantileSketch, b: QuantileSketch): number {
  if (a.count === 0 || b.count === 0) return Number.NaN;
  return wassersteinOfHistogram(alignedHistogram(a, b), a.count, b.count);
}

/** The same distance from an already aligned histogram (drift caches those per column pair). */
export function wassersteinOfHistogram(
  h: { value: ArrayLike<number>; a: ArrayLike<number>; b: ArrayLike<number> },
  countA: number,
  countB: number,
): number {
  let fa = 0;
  let fb = 0;
  let distance = 0;
  for (let k = 0; k < h.value.length - 1; k++) {
    fa += h.a[k]! / countA;
    fb += h.b[k]! / countB;
    distance += Math.abs(fa - fb) * (h.value[k + 1]! - h.value[k]!);
  }
  return distance;
}
