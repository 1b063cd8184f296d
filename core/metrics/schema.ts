import { z } from "zod";

export const Task = z.enum(["classification", "regression"]);
export type Task = z.infer<typeof Task>;

/**
 * One model's predictions on labelled rows. Typed arrays, so a test set of any size stays cheap.
 * Treated as immutable once scored: per-row results are cached by object (see rows.ts).
 */
export interface ClassificationData {
  /** True class index of each row, into `classes`. */
  labels: Int32Array;
  /** n x k, row-major; the predicted class is the argmax (ties: the lowest index). */
  probabilities: Float32Array;
  classes: string[];
}

export interface RegressionData {
  actual: Float64Array;
  predicted: Float64Array;
}

export interface DataFor {
  classification: ClassificationData;
  regression: RegressionData;
}

/**
 * A metric plug-in. `index` is a resample (row indices, repeats allowed): metrics read rows through it,
 * so a paired bootstrap never copies data. The result is NaN where the metric is undefined
 * (no rows, or roc_auc with a single class).
 */
export interface MetricOf<T extends Task> {
  name: string;
  task: T;
  /** Whether higher ("max") or lower ("min") is better. */
  direction: "max" | "min";
  /**
   * How a challenger-vs-champion difference is bounded: accuracy by Tango's paired score interval on
   * the rows only one model got right ("score"), every other metric by its own paired bootstrap.
   */
  pairedTest: "score" | "bootstrap";
  compute(data: DataFor[T], index?: Int32Array): number;
  /** Metrics of the confusion matrix alone: the value from k x k [true][predicted] counts. */
  fromConfusion?(counts: Float64Array, k: number): number;
}
export type ClassificationMetric = MetricOf<"classification">;
export type RegressionMetric = MetricOf<"regression">;
export type Metric = ClassificationMetric | RegressionMetric;

export const MetricValues = z
  .record(z.string(), z.number())
  .describe("metric name -> value; metrics undefined on the data are left out");
export type MetricValues = z.infer<typeof MetricValues>;

export const ConfusionMatrix = z.strictObject({
  classes: z.array(z.string()),
  /** matrix[true][predicted], the scikit-learn orientation. */
  matrix: z.array(z.array(z.number().int().min(0))),
});
export type ConfusionMatrix = z.infer<typeof ConfusionMatrix>;

export const ClassMetrics = z.strictObject({
  class: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int().min(0),
});
export type ClassMetrics = z.infer<typeof ClassMetrics>;

export const PerClass = z.array(ClassMetrics);
export type PerClass = z.infer<typeof PerClass>;
