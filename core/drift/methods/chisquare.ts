import { chiSquaredSf } from "../../stats/index.js";
import { acceptsKinds, categoryKeys, countsOf, type DriftMethod } from "../view.js";

/**
 * Pearson's goodness-of-fit test of current's counts against the reference's shares scaled to current's
 * size (Evidently's chisquare). A category the reference never had makes the statistic infinite: p = 0.
 */
export const chiSquare: DriftMethod = {
  name: "chisquare",
  kind: "test",
  defaultThreshold: 0.05,
  accepts: acceptsKinds("categorical"),
  compare(reference, current) {
    const keys = categoryKeys(reference, current);
    const expected = countsOf(reference, keys).map((c) => (c * current.n) / Math.max(1, reference.n));
    const observed = countsOf(current, keys);
    let statistic = 0;
    for (let i = 0; i < keys.length; i++) {
      const e = expected[i]!;
      const o = observed[i]!;
      if (e > 0) statistic += ((o - e) * (o - e)) / e;
      else if (o > 0) statistic = Number.POSITIVE_INFINITY;
    }
    const df = keys.length - 1;
    const pValue = df < 1 ? 1 : statistic === Number.POSITIVE_INFINITY ? 0 : chiSquaredSf(statistic, df);
    return { statistic, pValue, source: "exact" };
  },
};
