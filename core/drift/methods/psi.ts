import { binnedShares } from "../binned.js";
import { acceptsKinds, type DriftMethod } from "../view.js";

/** Population stability index over Evidently's bins, empty bins filled with a small share. */
export const psi: DriftMethod = {
  name: "psi",
  kind: "distance",
  defaultThreshold: 0.1,
  accepts: acceptsKinds("numeric", "categorical"),
  compare(reference, current, as) {
    const shares = binnedShares(reference, current, as, true);
    let value = 0;
    shares.reference.forEach((r, i) => {
      const c = shares.current[i]!;
      if (r > 0 && c > 0) value += (r - c) * Math.log(r / c);
    });
    return { statistic: value, source: shares.source };
  },
};
