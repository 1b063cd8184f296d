import { binnedDistance } from "./binned-distance.js";

/** Jensen-Shannon distance, base 2 (scipy.spatial.distance.jensenshannon), over Evidently's bins. */
export const jensenShannon = binnedDistance({
  name: "jensenshannon",
  fillEmpty: false,
  distance: jsDistance,
});

export function jsDistance(p: number[], q: number[]): number {
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  if (sp === 0 || sq === 0) return Number.NaN;
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    if (a > 0) divergence += a * Math.log2(a / m);
    if (b > 0) divergence += b * Math.log2(b / m);
  }
  return Math.sqrt(Math.max(0, divergence / 2));
}
