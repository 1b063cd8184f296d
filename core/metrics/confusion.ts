import { cached } from "./rows.js";
import type { ClassificationData, ConfusionMatrix, PerClass } from "./schema.js";

/** The predicted class of every row: the argmax, ties going to the lowest index. */
export function predicted(data: ClassificationData): Int32Array {
  return cached(data, "predicted", () => argmax(data));
}

function argmax(data: ClassificationData): Int32Array {
  const k = data.classes.length;
  const n = data.labels.length;
  const result = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = data.probabilities[i * k] ?? Number.NEGATIVE_INFINITY;
    for (let c = 1; c < k; c++) {
      const p = data.probabilities[i * k + c]!;
      if (p > bestP) {
        best = c;
        bestP = p;
      }
    }
    result[i] = best;
  }
  return result;
}

/** k x k counts, row-major, [true][predicted]. */
export function confusionCounts(data: ClassificationData, index?: Int32Array): Float64Array {
  const k = data.classes.length;
  // The confusion-matrix cell of each row, so a resample only counts.
  const cells = cached(data, "cells", () => {
    const pred = predicted(data);
    return Int32Array.from(data.labels, (label, i) => label * k + pred[i]!);
  });
  const counts = new Float64Array(k * k);
  if (index) for (let j = 0; j < index.length; j++) counts[cells[index[j]!]!]! += 1;
  else for (let i = 0; i < cells.length; i++) counts[cells[i]!]! += 1;
  return counts;
}

export interface ClassTotals {
  tp: Float64Array;
  /** True rows of each class. */
  support: Float64Array;
  /** Predicted rows of each class. */
  predictedCount: Float64Array;
  total: number;
}

export function classTotals(data: ClassificationData, index?: Int32Array): ClassTotals {
  return totalsOf(confusionCounts(data, index), data.classes.length);
}

/** Per-class totals of a k x k [true][predicted] count matrix. */
export function totalsOf(counts: Float64Array, k: number): ClassTotals {
  const tp = new Float64Array(k);
  const support = new Float64Array(k);
  const predictedCount = new Float64Array(k);
  let total = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const count = counts[t * k + p]!;
      support[t]! += count;
      predictedCount[p]! += count;
      total += count;
    }
    tp[t] = counts[t * k + t]!;
  }
  return { tp, support, predictedCount, total };
}

/** scikit-learn's zero_division=0: an undefined ratio counts as 0. */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function confusionMatrix(data: ClassificationData): ConfusionMatrix {
  const k = data.classes.length;
  const counts = confusionCounts(data);
  const matrix = data.classes.map((_, t) => Array.from(counts.subarray(t * k, (t + 1) * k)));
  return { classes: [...data.classes], matrix };
}

/** Precision, recall, F1 and support of every class, including classes absent from the data. */
export function perClass(data: ClassificationData): PerClass {
  const { tp, support, predictedCount } = classTotals(data);
  return data.classes.map((name, c) => {
    const hits = tp[c]!;
    const supportC = support[c]!;
    const predictedC = predictedCount[c]!;
    return {
      class: name,
      precision: ratio(hits, predictedC),
      recall: ratio(hits, supportC),
      f1: ratio(2 * hits, supportC + predictedC),
      support: supportC,
    };
  });
}
