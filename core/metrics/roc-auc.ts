import { cached, rowCount } from "./rows.js";
import type { ClassificationData, ClassificationMetric } from "./schema.js";

interface Ranking {
  /** Rows by ascending score of the class. */
  order: Int32Array;
  /** 1 where the row at that sorted position belongs to the class. */
  positive: Int32Array;
  /** 1 where the score differs from the previous position's: the start of a group of ties. */
  newGroup: Int32Array;
}

// Sorted once per data set and class; a resample then only re-weights rows, in one linear pass.
function ranking(data: ClassificationData, column: number): Ranking {
  const k = data.classes.length;
  const score = (row: number) => data.probabilities[row * k + column]!;
  const order = cached(data, `roc:${column}:order`, () =>
    Int32Array.from(data.labels, (_, i) => i).sort((a, b) => score(a) - score(b)),
  );
  const positive = cached(data, `roc:${column}:positive`, () =>
    Int32Array.from(order, (row) => (data.labels[row] === column ? 1 : 0)),
  );
  const newGroup = cached(data, `roc:${column}:groups`, () =>
    Int32Array.from(order, (row, j) => (j === 0 || score(row) !== score(order[j - 1]!) ? 1 : 0)),
  );
  return { order, positive, newGroup };
}

/** Times each row is drawn. */
function multiplicity(n: number, index: Int32Array): Float64Array {
  const weights = new Float64Array(n);
  for (let j = 0; j < index.length; j++) weights[index[j]!]! += 1;
  return weights;
}

/**
 * One class against the rest: the Mann-Whitney statistic, where a tie between a positive and a
 * negative counts one half (the midrank convention of scikit-learn's roc_auc_score).
 */
function oneVsRest(data: ClassificationData, column: number, weights: Float64Array | undefined): number {
  const { order, positive, newGroup } = ranking(data, column);
  let pairs = 0;
  let positives = 0;
  let negativesBelow = 0;
  let groupPositives = 0;
  let groupNegatives = 0;
  for (let j = 0; j <= order.length; j++) {
    if (j === order.length || newGroup[j]) {
      pairs += groupPositives * (negativesBelow + groupNegatives / 2);
      positives += groupPositives;
      negativesBelow += groupNegatives;
      groupPositives = 0;
      groupNegatives = 0;
      if (j === order.length) break;
    }
    const weight = weights ? weights[order[j]!]! : 1;
    if (positive[j]) groupPositives += weight;
    else groupNegatives += weight;
  }
  return positives === 0 || negativesBelow === 0 ? Number.NaN : pairs / (positives * negativesBelow);
}

/**
 * Binary: the AUC of the second class's probability. Multiclass: the unweighted mean of one-vs-rest AUCs
 * over the classes that have both positive and negative rows (scikit-learn raises instead; a bootstrap
 * resample missing a rare class must not).
 */
export const rocAuc: ClassificationMetric = {
  name: "roc_auc",
  task: "classification",
  direction: "max",
  pairedTest: "bootstrap",
  compute(data, index) {
    const k = data.classes.length;
    if (k < 2 || rowCount(data.labels.length, index) === 0) return Number.NaN;
    const weights = index ? multiplicity(data.labels.length, index) : undefined;
    if (k === 2) return oneVsRest(data, 1, weights);
    let sum = 0;
    let defined = 0;
    for (let c = 0; c < k; c++) {
      const auc = oneVsRest(data, c, weights);
      if (!Number.isNaN(auc)) {
        sum += auc;
        defined += 1;
      }
    }
    return defined === 0 ? Number.NaN : sum / defined;
  },
};
