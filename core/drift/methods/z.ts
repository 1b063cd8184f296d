import { normalCdf } from "../../stats/index.js";
import { categoryKeys, countsOf, type DriftMethod } from "../view.js";

/**
 * Two-proportion z-test (pooled), for columns of at most two values: the share of the first value
 * in sorted order is compared (Evidently's "z").
 */
export const zTest: DriftMethod = {
  name: "z",
  kind: "test",
  defaultThreshold: 0.05,
  // At most two values: a column with more is left to the automatic choice (chisquare).
  accepts: (as, distinct) => as === "categorical" && distinct <= 2,
  compare(reference, current) {
    const keys = categoryKeys(reference, current);
    if (keys.length > 2) throw new Error(`z-test: ${keys.length} values, expected at most 2`);
    const [a] = countsOf(reference, keys.slice(0, 1));
    const [b] = countsOf(current, keys.slice(0, 1));
    const n1 = reference.n;
    const n2 = current.n;
    const p1 = (a ?? 0) / n1;
    const p2 = (b ?? 0) / n2;
    const pooled = ((a ?? 0) + (b ?? 0)) / (n1 + n2);
    const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
    if (!(variance > 0)) return { statistic: 0, pValue: 1, source: "exact" };
    const z = (p1 - p2) / Math.sqrt(variance);
    return { statistic: z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))), source: "exact" };
  },
};
