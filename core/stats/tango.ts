import type { PairedCounts } from "./schema.js";

/**
 * Tango's score statistic for H0: p(challenger right) - p(champion right) = d0 on paired rows
 * (Tango 1998, Stat Med 17:891). q is the restricted maximum-likelihood probability of a row only the
 * champion gets right, from 2n q^2 + (-(b + c) + (2n - b + c) d0) q - c d0 (1 - d0) = 0.
 */
function score({ n, challengerOnly: b, championOnly: c }: PairedCounts, d0: number): number {
  const B = -b - c + (2 * n - b + c) * d0;
  const C = -c * d0 * (1 - d0);
  const q = (Math.sqrt(Math.max(0, B * B - 8 * n * C)) - B) / (4 * n);
  const variance = n * (2 * q + d0 * (1 - d0));
  const numerator = b - c - n * d0;
  if (!(variance > 0)) return numerator === 0 ? 0 : numerator > 0 ? Infinity : -Infinity;
  return numerator / Math.sqrt(variance);
}

/**
 * One-sided bound on the paired difference of accuracies (challenger - champion) at critical value z:
 * the d0 where the score statistic reaches +z (lower bound) or -z (upper bound). The statistic falls
 * as d0 rises, so bisection on [-1, 1] finds it.
 */
export function tangoBound(counts: PairedCounts, z: number, side: "lower" | "upper"): number {
  const target = side === "lower" ? z : -z;
  let low = -1;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (score(counts, mid) > target) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
