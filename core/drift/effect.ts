import { populationStd, wassersteinDistance } from "./numeric.js";
import type { EffectMeasure } from "./schema.js";
import { type ColumnView, categoryKeys, countsOf } from "./view.js";

/**
 * Smallest effects that count as drift, so a test on a huge sample does not flag a trivial shift:
 * Evidently's 0.1 for the std-normalised Wasserstein distance, and Cohen's (1988) "small" effects for
 * proportions (h = 0.2) and for goodness of fit (w = 0.1).
 */
export const MIN_EFFECT: Record<EffectMeasure, number> = {
  wasserstein_std: 0.1,
  cohens_h: 0.2,
  cohens_w: 0.1,
};

/** How far current moved from the reference, on a scale that does not grow with the sample size. */
export function effectSize(
  reference: ColumnView,
  current: ColumnView,
  as: "numeric" | "categorical",
): { measure: EffectMeasure; value: number } {
  if (as === "numeric") {
    const { w } = wassersteinDistance(reference, current);
    return { measure: "wasserstein_std", value: w / Math.max(populationStd(reference), 0.001) };
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
