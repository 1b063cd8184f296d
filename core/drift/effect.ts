import { distributionOf } from "./buckets.js";
import { populationStd, wassersteinDistance } from "./numeric.js";
import type { EffectMeasure } from "./schema.js";
import { type ColumnView, categoryKeys, countsOf, requirePoints } from "./view.js";

// Effect sizes a user may ask a significant test to reach (--min-effect, off by default as in
// Evidently): Cohen's (1988) "small" effects are h = 0.2 (proportions) and w = 0.1 (goodness of fit);
// 0.1 is Evidently's cut for a normalised Wasserstein distance.

/** IQR of a normal distribution in standard deviations: IQR / 1.349 estimates sigma robustly. */
const NORMAL_IQR = 1.349;
/** 5%-95% range of a normal distribution in standard deviations (a fallback when the IQR is 0). */
const NORMAL_90 = 3.29;

/** How far current moved from the reference, on a scale that does not grow with the sample size. */
export function effectSize(
  reference: ColumnView,
  current: ColumnView,
  as: "numeric" | "categorical",
): { measure: EffectMeasure; value: number } {
  if (as === "numeric") {
    const { w } = wassersteinDistance(reference, current);
    return { measure: "wasserstein_iqr", value: w / Math.max(robustScale(reference), 0.001) };
  }
  const keys = categoryKeys(reference, current);
  const ref = countsOf(reference, keys);
  const cur = countsOf(current, keys);
  if (keys.length <= 2) {
    const p1 = reference.n > 0 ? ref[0]! / reference.n : 0;
    const p2 = current.n > 0 ? cur[0]! / current.n : 0;
    return {
      measure: "cohens_h",
      value: Math.abs(2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2))),
    };
  }
  // Jeffreys' half count keeps the reference share of a category it never had above zero.
  const total = reference.n + 0.5 * keys.length;
  let sum = 0;
  keys.forEach((_, i) => {
    const p = (ref[i]! + 0.5) / total;
    const q = current.n > 0 ? cur[i]! / current.n : 0;
    sum += ((q - p) * (q - p)) / p;
  });
  return { measure: "cohens_w", value: Math.sqrt(sum) };
}

/**
 * The reference's spread from its quartiles, in standard-deviation units for normal data: unlike the
 * standard deviation it stays finite on heavy tails (Cauchy), so a shift there still has a size.
 */
export function robustScale(view: ColumnView): number {
  const q = quantileOf(view);
  if (!q) return populationStd(view);
  const iqr = (q(0.75) - q(0.25)) / NORMAL_IQR;
  if (iqr > 0) return iqr;
  const wide = (q(0.95) - q(0.05)) / NORMAL_90;
  return wide > 0 ? wide : populationStd(view);
}

function quantileOf(view: ColumnView): ((p: number) => number) | undefined {
  const sorted = view.sorted;
  if (sorted && sorted.length > 0) {
    // numpy's default (linear) quantile.
    return (p) => {
      const at = p * (sorted.length - 1);
      const lo = Math.floor(at);
      const hi = Math.min(lo + 1, sorted.length - 1);
      return sorted[lo]! + (at - lo) * (sorted[hi]! - sorted[lo]!);
    };
  }
  if (view.n === 0 || !(view.points || view.sketch)) return undefined;
  const distribution = distributionOf(requirePoints(view, "effect"));
  return (p) => distribution.quantile(p);
}
