import { confusionMetric } from "./accuracy.js";
import { type ClassTotals, ratio, totalsOf } from "./confusion.js";
import type { ClassificationMetric } from "./schema.js";

type PerClassScore = (totals: ClassTotals, c: number) => number;

const scores: Record<"precision" | "recall" | "f1", PerClassScore> = {
  precision: ({ tp, predictedCount }, c) => ratio(tp[c]!, predictedCount[c]!),
  recall: ({ tp, support }, c) => ratio(tp[c]!, support[c]!),
  // 2tp / (2tp + fp + fn): equal to 2PR / (P + R), and 0 rather than NaN when both are 0.
  f1: ({ tp, support, predictedCount }, c) => ratio(2 * tp[c]!, support[c]! + predictedCount[c]!),
};

/**
 * scikit-learn's default label set: classes seen in the true labels or the predictions.
 * A class absent from both (say, from a bootstrap resample) does not drag the macro mean to 0.
 */
function macro(score: PerClassScore) {
  return (counts: Float64Array, k: number): number => {
    const totals = totalsOf(counts, k);
    if (totals.total === 0) return Number.NaN;
    let sum = 0;
    let labels = 0;
    for (let c = 0; c < k; c++) {
      if (totals.support[c]! > 0 || totals.predictedCount[c]! > 0) {
        sum += score(totals, c);
        labels += 1;
      }
    }
    return sum / labels;
  };
}

/** Weighted by support, so classes only predicted (support 0) weigh nothing. */
function weighted(score: PerClassScore) {
  return (counts: Float64Array, k: number): number => {
    const totals = totalsOf(counts, k);
    if (totals.total === 0) return Number.NaN;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      if (totals.support[c]! > 0) sum += totals.support[c]! * score(totals, c);
    }
    return sum / totals.total;
  };
}

function family(kind: keyof typeof scores, average: "macro" | "weighted"): ClassificationMetric {
  return confusionMetric(
    { name: `${kind}_${average}`, direction: "max", pairedTest: "bootstrap" },
    (average === "macro" ? macro : weighted)(scores[kind]),
  );
}

export const precisionMacro = family("precision", "macro");
export const recallMacro = family("recall", "macro");
export const f1Macro = family("f1", "macro");
export const precisionWeighted = family("precision", "weighted");
export const recallWeighted = family("recall", "weighted");
export const f1Weighted = family("f1", "weighted");
