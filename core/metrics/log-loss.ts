import { cached, meanOver } from "./rows.js";
import type { ClassificationMetric } from "./schema.js";

// scikit-learn's long-standing eps: keeps log(0) finite for a confidently wrong model.
const EPS = 1e-15;

function clip(p: number): number {
  return Math.min(1 - EPS, Math.max(EPS, p));
}

/** Mean negative log-likelihood of the true class; rows are clipped, then renormalised to sum to 1. */
export const logLoss: ClassificationMetric = {
  name: "log_loss",
  task: "classification",
  direction: "min",
  pairedTest: "bootstrap",
  compute(data, index) {
    const k = data.classes.length;
    const losses = cached(data, "log_loss", () =>
      Float64Array.from(data.labels, (label, i) => {
        let rowSum = 0;
        for (let c = 0; c < k; c++) rowSum += clip(data.probabilities[i * k + c]!);
        return -Math.log(clip(data.probabilities[i * k + label]!) / rowSum);
      }),
    );
    return meanOver(losses, index);
  },
};
