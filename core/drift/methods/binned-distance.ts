import { binnedShares } from "../binned.js";
import { acceptsKinds, type DriftMethod } from "../view.js";

/**
 * A distance method over Evidently's bins (numeric columns binned, categories counted): `distance` reads the
 * two sides' shares, bin by bin. `fillEmpty` gives empty bins a small share, for distances that divide by one.
 */
export function binnedDistance(method: {
  name: string;
  fillEmpty: boolean;
  distance: (reference: number[], current: number[]) => number;
}): DriftMethod {
  return {
    name: method.name,
    kind: "distance",
    defaultThreshold: 0.1,
    accepts: acceptsKinds("numeric", "categorical"),
    compare(reference, current, as) {
      const shares = binnedShares(reference, current, as, method.fillEmpty);
      return { statistic: method.distance(shares.reference, shares.current), source: shares.source };
    },
  };
}
