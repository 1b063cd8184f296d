import type { ClassificationData, RegressionData } from "../../core/metrics/index.js";

export function classification(
  labels: number[],
  probabilities: number[][],
  classes?: string[],
): ClassificationData {
  const k = probabilities[0]?.length ?? classes?.length ?? 0;
  return {
    labels: Int32Array.from(labels),
    probabilities: Float32Array.from(probabilities.flat()),
    classes: classes ?? Array.from({ length: k }, (_, c) => `c${c}`),
  };
}

/** A model that predicts `predicted` with probability 0.8, the rest spread evenly. */
export function fromPredictions(labels: number[], predicted: number[], k: number): ClassificationData {
  const rest = 0.2 / (k - 1);
  return classification(
    labels,
    predicted.map((p) => Array.from({ length: k }, (_, c) => (c === p ? 0.8 : rest))),
  );
}

export function regression(actual: number[], predicted: number[]): RegressionData {
  return { actual: Float64Array.from(actual), predicted: Float64Array.from(predicted) };
}

/** The rows an index selects, as a data set of their own: what a resample must be equal to. */
export function materialise(data: ClassificationData, index: Int32Array): ClassificationData;
export function materialise(data: RegressionData, index: Int32Array): RegressionData;
export function materialise(
  data: ClassificationData | RegressionData,
  index: Int32Array,
): ClassificationData | RegressionData {
  const rows = Array.from(index);
  if ("actual" in data) {
    return regression(
      rows.map((i) => data.actual[i]!),
      rows.map((i) => data.predicted[i]!),
    );
  }
  const k = data.classes.length;
  return {
    labels: Int32Array.from(rows, (i) => data.labels[i]!),
    probabilities: Float32Array.from(
      rows.flatMap((i) => Array.from(data.probabilities.subarray(i * k, (i + 1) * k))),
    ),
    classes: data.classes,
  };
}
