import { confusionCounts, totalsOf } from "./confusion.js";
import type { ClassificationMetric } from "./schema.js";

/** A metric of the confusion matrix alone: scored from counts, which is how the paired bootstrap runs it. */
export function confusionMetric(
  spec: Omit<ClassificationMetric, "compute" | "fromConfusion" | "task">,
  fromConfusion: (counts: Float64Array, k: number) => number,
): ClassificationMetric {
  return {
    ...spec,
    task: "classification",
    fromConfusion,
    compute: (data, index) => fromConfusion(confusionCounts(data, index), data.classes.length),
  };
}

export const accuracy = confusionMetric(
  { name: "accuracy", direction: "max", pairedTest: "score" },
  (counts, k) => {
    const { tp, total } = totalsOf(counts, k);
    return total === 0 ? Number.NaN : tp.reduce((sum, hits) => sum + hits, 0) / total;
  },
);

/** Mean recall over the classes present in the true labels (scikit-learn drops the others). */
export const balancedAccuracy = confusionMetric(
  { name: "balanced_accuracy", direction: "max", pairedTest: "bootstrap" },
  (counts, k) => {
    const { tp, support } = totalsOf(counts, k);
    let sum = 0;
    let present = 0;
    support.forEach((count, c) => {
      if (count > 0) {
        sum += tp[c]! / count;
        present += 1;
      }
    });
    return present === 0 ? Number.NaN : sum / present;
  },
);
