import { binomialCdf, chiSquaredSf } from "./distributions.js";
import type { McNemarResult } from "./schema.js";

// Below this many discordant pairs the chi-squared approximation is poor; the exact test is used.
const EXACT_BELOW = 25;

/**
 * McNemar's test on paired per-row correctness of two models (1 = correct). b counts rows only A got
 * right, c rows only B got right. The p-value is two-sided: exact binomial when b + c < 25, else
 * chi-squared with continuity correction (statsmodels' `mcnemar` conventions).
 */
export function mcnemar(correctA: Uint8Array, correctB: Uint8Array): McNemarResult {
  if (correctA.length !== correctB.length) {
    throw new Error(`mcnemar: ${correctA.length} rows for A but ${correctB.length} for B`);
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < correctA.length; i++) {
    if (correctA[i] && !correctB[i]) b += 1;
    else if (!correctA[i] && correctB[i]) c += 1;
  }
  const discordant = b + c;
  if (discordant === 0) return { b, c, statistic: 0, pValue: 1, method: "exact" };
  if (discordant < EXACT_BELOW) {
    const smaller = Math.min(b, c);
    return {
      b,
      c,
      statistic: smaller,
      pValue: Math.min(1, 2 * binomialCdf(smaller, discordant, 0.5)),
      method: "exact",
    };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / discordant;
  return { b, c, statistic, pValue: chiSquaredSf(statistic, 1), method: "chi-squared" };
}
