import {
  type Points,
  type QuantileSketch,
  RELATIVE_ACCURACY,
  wassersteinOfHistogram,
} from "../profile/index.js";

/**
 * A column's distribution as ascending point masses (a sketch's buckets or a grid's), worked out once
 * per sketch and aligned once per pair: a column's methods, effect size and chart ask a few dozen times.
 */
const sketchCache = new WeakMap<QuantileSketch, Points>();
const pairCache = new WeakMap<Points, WeakMap<Points, Aligned>>();

export interface Aligned {
  value: number[];
  a: number[];
  b: number[];
}

/** A sketch's non-empty buckets, each at its estimate (QuantileSketch.buckets). */
export function sketchPoints(sketch: QuantileSketch): Points {
  let points = sketchCache.get(sketch);
  if (!points) {
    const buckets = sketch.buckets();
    points = {
      count: sketch.count,
      min: sketch.min,
      max: sketch.max,
      value: Float64Array.from(buckets, (b) => b.value),
      weight: Float64Array.from(buckets, (b) => b.count),
      source: "sketch",
    };
    sketchCache.set(sketch, points);
  }
  return points;
}

/** How far a value may sit from its point in the bulk of a sketch: its buckets are ~2 alpha |x| wide. */
export function sketchResolution(points: Points): number {
  const d = distributionOf(points);
  return 2 * RELATIVE_ACCURACY * Math.max(Math.abs(d.quantile(0.25)), Math.abs(d.quantile(0.75)));
}

/** Both sides' weights on the union of their points, ascending. */
export function aligned(a: Points, b: Points): Aligned {
  let inner = pairCache.get(a);
  const hit = inner?.get(b);
  if (hit) return hit;
  const out: Aligned = { value: [], a: [], b: [] };
  let i = 0;
  let j = 0;
  while (i < a.value.length || j < b.value.length) {
    const x = i < a.value.length ? a.value[i]! : Number.POSITIVE_INFINITY;
    const y = j < b.value.length ? b.value[j]! : Number.POSITIVE_INFINITY;
    const value = Math.min(x, y);
    out.value.push(value);
    out.a.push(x === value ? a.weight[i++]! : 0);
    out.b.push(y === value ? b.weight[j++]! : 0);
  }
  if (!inner) {
    inner = new WeakMap();
    pairCache.set(a, inner);
  }
  inner.set(b, out);
  return out;
}

/** First Wasserstein distance of two distributions given as points. */
export function pointsWasserstein(a: Points, b: Points): number {
  if (a.count === 0 || b.count === 0) return Number.NaN;
  return wassersteinOfHistogram(aligned(a, b), a.count, b.count);
}

const distributions = new WeakMap<Points, Distribution>();

export interface Distribution {
  cdf(x: number): number;
  quantile(q: number): number;
}

/** CDF and quantiles of points (as QuantileSketch.cdf and .quantile), by binary search. */
export function distributionOf(points: Points): Distribution {
  const cached = distributions.get(points);
  if (cached) return cached;
  const { value, weight, count, min, max } = points;
  const cumulative = new Float64Array(value.length);
  let seen = 0;
  for (let k = 0; k < value.length; k++) {
    seen += weight[k]!;
    cumulative[k] = seen;
  }
  const distribution: Distribution = {
    cdf(x) {
      if (count === 0) return Number.NaN;
      if (x < min) return 0;
      if (x >= max) return 1;
      // Points with value <= x.
      let lo = 0;
      let hi = value.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (value[mid]! <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 0 : cumulative[lo - 1]! / count;
    },
    quantile(q) {
      if (count === 0) return Number.NaN;
      if (q <= 0) return min;
      if (q >= 1) return max;
      const rank = q * (count - 1);
      // First point whose running count exceeds the rank.
      let lo = 0;
      let hi = value.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid]! > rank) hi = mid;
        else lo = mid + 1;
      }
      return lo < value.length ? Math.min(Math.max(value[lo]!, min), max) : max;
    },
  };
  distributions.set(points, distribution);
  return distribution;
}
