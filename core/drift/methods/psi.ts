import { binnedDistance } from "./binned-distance.js";

/** Population stability index over Evidently's bins, empty bins filled with a small share. */
export const psi = binnedDistance({
  name: "psi",
  fillEmpty: true,
  distance(reference, current) {
    let value = 0;
    reference.forEach((r, i) => {
      const c = current[i]!;
      if (r > 0 && c > 0) value += (r - c) * Math.log(r / c);
    });
    return value;
  },
});
