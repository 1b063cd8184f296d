import { populationStd, wassersteinDistance } from "../numeric.js";
import { acceptsKinds, type DriftMethod } from "../view.js";

/** The reference's spread below which Evidently stops dividing by it. */
const MIN_NORM = 0.001;

/** Wasserstein distance in units of the reference's standard deviation (Evidently's "wasserstein"). */
export const wassersteinNorm: DriftMethod = {
  name: "wasserstein",
  kind: "distance",
  defaultThreshold: 0.1,
  accepts: acceptsKinds("numeric"),
  compare(reference, current) {
    const { w, source } = wassersteinDistance(reference, current);
    const norm = Math.max(populationStd(reference), MIN_NORM);
    return { statistic: w / norm, source };
  },
};
