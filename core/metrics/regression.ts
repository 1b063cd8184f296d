import { cached, meanOver, rowCount } from "./rows.js";
import type { RegressionData, RegressionMetric } from "./schema.js";

// numpy's float64 eps, which scikit-learn's mean_absolute_percentage_error puts under a zero actual.
const FLOAT64_EPS = 2.220446049250313e-16;

type Loss = (actual: number, predicted: number) => number;

const losses: Record<"absolute" | "squared" | "percentage", Loss> = {
  absolute: (a, p) => Math.abs(a - p),
  squared: (a, p) => (a - p) ** 2,
  percentage: (a, p) => Math.abs(a - p) / Math.max(Math.abs(a), FLOAT64_EPS),
};

function meanLoss(kind: keyof typeof losses, data: RegressionData, index: Int32Array | undefined): number {
  const loss = losses[kind];
  const rows = cached(data, kind, () =>
    Float64Array.from(data.actual, (a, i) => loss(a, data.predicted[i]!)),
  );
  return meanOver(rows, index);
}

function lossMetric(name: string, kind: keyof typeof losses): RegressionMetric {
  return {
    name,
    task: "regression",
    direction: "min",
    pairedTest: "bootstrap",
    compute: (data, index) => meanLoss(kind, data, index),
  };
}

export const mae = lossMetric("mae", "absolute");
export const mse = lossMetric("mse", "squared");
export const mape = lossMetric("mape", "percentage");

export const rmse: RegressionMetric = {
  name: "rmse",
  task: "regression",
  direction: "min",
  pairedTest: "bootstrap",
  compute: (data, index) => Math.sqrt(meanLoss("squared", data, index)),
};

/**
 * 1 - SS_res / SS_tot. A constant target gives scikit-learn's force_finite values:
 * 1 for a perfect fit, 0 otherwise.
 */
export const r2: RegressionMetric = {
  name: "r2",
  task: "regression",
  direction: "max",
  pairedTest: "bootstrap",
  compute(data, index) {
    const { actual } = data;
    const m = rowCount(actual.length, index);
    if (m === 0) return Number.NaN;
    const residual = meanLoss("squared", data, index) * m;
    let mean = 0;
    for (let j = 0; j < m; j++) mean += actual[index ? index[j]! : j]!;
    mean /= m;
    let total = 0;
    for (let j = 0; j < m; j++) total += (actual[index ? index[j]! : j]! - mean) ** 2;
    if (total === 0) return residual === 0 ? 1 : 0;
    return 1 - residual / total;
  },
};
