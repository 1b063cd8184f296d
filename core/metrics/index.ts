import { accuracy, balancedAccuracy } from "./accuracy.js";
import { logLoss } from "./log-loss.js";
import {
  f1Macro,
  f1Weighted,
  precisionMacro,
  precisionWeighted,
  recallMacro,
  recallWeighted,
} from "./precision-recall-f1.js";
import { mae, mape, mse, r2, rmse } from "./regression.js";
import { rocAuc } from "./roc-auc.js";
import type {
  ClassificationData,
  DataFor,
  Metric,
  MetricOf,
  MetricValues,
  RegressionData,
  Task,
} from "./schema.js";

export { confusionMatrix, perClass, predicted } from "./confusion.js";
export * from "./schema.js";

/** Every metric plug-in, by name. Names are unique across tasks. */
export const metrics: ReadonlyMap<string, Metric> = new Map<string, Metric>(
  [
    accuracy,
    balancedAccuracy,
    precisionMacro,
    recallMacro,
    f1Macro,
    precisionWeighted,
    recallWeighted,
    f1Weighted,
    rocAuc,
    logLoss,
    mae,
    mse,
    rmse,
    r2,
    mape,
  ].map((metric) => [metric.name, metric]),
);

export function metricsFor<T extends Task>(task: T): MetricOf<T>[] {
  // TypeScript cannot narrow the union by a generic tag; the filter is what makes this true.
  return [...metrics.values()].filter((metric) => metric.task === task) as unknown as MetricOf<T>[];
}

/** The metric called `name` for `task`, or undefined when there is none. */
export function getMetric<T extends Task>(task: T, name: string): MetricOf<T> | undefined {
  return metricsFor(task).find((metric) => metric.name === name);
}

/** Every metric of the task (or those in `only`); metrics undefined on this data (NaN, e.g. roc_auc with one class) are left out. */
export function computeAll<T extends Task>(
  task: T,
  data: DataFor[T],
  only?: readonly string[],
): MetricValues {
  checkData(task, data);
  const values: MetricValues = {};
  for (const metric of metricsFor(task)) {
    if (only && !only.includes(metric.name)) continue;
    const value = metric.compute(data);
    if (Number.isFinite(value)) values[metric.name] = value;
  }
  return values;
}

/** Shapes that only a bug produces (the caller builds these arrays), so a plain Error. */
export function checkData<T extends Task>(task: T, data: DataFor[T]): void {
  if (task === "regression") {
    const { actual, predicted } = data as RegressionData;
    if (actual.length !== predicted.length) {
      throw new Error(`regression data: ${actual.length} actual values but ${predicted.length} predictions`);
    }
    return;
  }
  const { labels, probabilities, classes } = data as ClassificationData;
  if (probabilities.length !== labels.length * classes.length) {
    throw new Error(
      `classification data: ${probabilities.length} probabilities for ${labels.length} rows x ${classes.length} classes`,
    );
  }
  const bad = labels.findIndex((label) => label < 0 || label >= classes.length);
  if (bad >= 0)
    throw new Error(`classification data: row ${bad} has label ${labels[bad]}, outside the classes`);
}
