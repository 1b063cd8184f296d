import { type Bucket, type QuantileSketch, wassersteinOfHistogram } from "../profile/index.js";

/**
 * Sketch buckets worked out once per sketch (and aligned once per pair): QuantileSketch.buckets()
 * recomputes every bucket's bounds on each call, and a column's methods, effect size and chart ask
 * for them a few dozen times.
 */
const bucketCache = new WeakMap<QuantileSketch, Bucket[]>();
const pairCache = new WeakMap<QuantileSketch, WeakMap<QuantileSketch, Aligned>>();

export interface Aligned {
  value: number[];
  a: number[];
  b: number[];
}

export function bucketsOf(sketch: QuantileSketch): Bucket[] {
  let buckets = bucketCache.get(sketch);
  if (!buckets) {
    buckets = sketch.buckets();
    bucketCache.set(sketch, buckets);
  }
  return buckets;
}

/** Both sketches' counts on the union of their buckets, ascending (as profile's alignedHistogram). */
export function aligned(a: QuantileSketch, b: QuantileSketch): Aligned {
  let inner = pairCache.get(a);
  const hit = inner?.get(b);
  if (hit) return hit;
  const ba = bucketsOf(a);
  const bb = bucketsOf(b);
  const out: Aligned = { value: [], a: [], b: [] };
  let i = 0;
  let j = 0;
  while (i < ba.length || j < bb.length) {
    const x = ba[i];
    const y = bb[j];
    const value = x && (!y || x.value <= y.value) ? x.value : y!.value;
    const inA = x !== undefined && x.value === value;
    const inB = y !== undefined && y.value === value;
    out.value.push(value);
    out.a.push(inA ? x.count : 0);
    out.b.push(inB ? y.count : 0);
    if (inA) i++;
    if (inB) j++;
  }
  if (!inner) {
    inner = new WeakMap();
    pairCache.set(a, inner);
  }
  inner.set(b, out);
  return out;
}

/** First Wasserstein distance of two sketched distributions (as profile's wasserstein, cached histogram). */
export function sketchWasserstein(a: QuantileSketch, b: QuantileSketch): number {
  if (a.count === 0 || b.count === 0) return Number.NaN;
  return wassersteinOfHistogram(aligned(a, b), a.count, b.count);
}

/** QuantileSketch.cdf and .quantile over the cached buckets, by binary search. */
export function distributionOf(sketch: QuantileSketch): {
  cdf(x: number): number;
  quantile(q: number): number;
} {
  const buckets = bucketsOf(sketch);
  const cumulative = new Float64Array(buckets.length);
  let seen = 0;
  buckets.forEach((bucket, k) => {
    seen += bucket.count;
    cumulative[k] = seen;
  });
  return {
    cdf(x) {
      if (sketch.count === 0) return Number.NaN;
      if (x < sketch.min) return 0;
      if (x >= sketch.max) return 1;
      // Buckets with value <= x.
      let lo = 0;
      let hi = buckets.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (buckets[mid]!.value <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 0 : cumulative[lo - 1]! / sketch.count;
    },
    quantile(q) {
      if (sketch.count === 0) return Number.NaN;
      if (q <= 0) return sketch.min;
      if (q >= 1) return sketch.max;
      const rank = q * (sketch.count - 1);
      // First bucket whose running count exceeds the rank.
      let lo = 0;
      let hi = buckets.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid]! > rank) hi = mid;
        else lo = mid + 1;
      }
      const bucket = buckets[lo];
      return bucket ? Math.min(Math.max(bucket.value, sketch.min), sketch.max) : sketch.max;
    },
  };
}
