import { classTotals } from "./confusion.js";
import type { ClassificationMetric } from "./schema.js";

export const accuracy: ClassificationMetric = {
  name: "accuracy",
  task: "classification",
  direction: "max",
  pairedTest: "mcnemar",
  compute(data, index) {
    const { tp, total } = classTotals(data, index);
    return total === 0 ? Number.NaN : tp.reduce((sum, hits) => sum + hits, 0) / total;
  },
};

/** Mean recall over the classes present in the true labels (scikit-learn drops the others). */
export const balancedAccuracy: ClassificationMetric = {
  name: "balanced_accuracy",
  task: "classification",
  direction: "max",
  pairedTest: "mcnemar",
  compute(data, index) {
    const { tp, support } = classTotals(data, index);
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
};
