import { ksPValue, ksStatistic } from "../numeric.js";
import { acceptsKinds, type DriftMethod } from "../view.js";

/** Two-sample Kolmogorov-Smirnov test (scipy.stats.ks_2samp, two-sided). */
export const ks: DriftMethod = {
  name: "ks",
  kind: "test",
  defaultThreshold: 0.05,
  accepts: acceptsKinds("numeric"),
  compare(reference, current) {
    const { d, source } = ksStatistic(reference, current);
    return { statistic: d, pValue: ksPValue(d, reference.n, current.n), source };
  },
};
