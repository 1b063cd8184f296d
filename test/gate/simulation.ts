import { compareModels } from "../../core/gate/index.js";
import { getMetric } from "../../core/metrics/index.js";
import type { ClassificationData } from "../../core/metrics/schema.js";
import { mulberry32 } from "../../core/stats/index.js";

/**
 * The gate's operating characteristics by simulation: two binary classifiers whose predictions differ
 * on `disagreement` of the rows, the challenger worse than the champion by exactly `drop` in `metric`
 * on the population. Shared by test/gate/coverage.test.ts and `npm run bench -- gate`.
 */
export interface Cell {
  metric: "accuracy" | "f1_macro" | "balanced_accuracy";
  rows: number;
  /** The challenger's true (population) degradation in the metric. */
  drop: number;
  repeats: number;
  margin?: number;
  disagreement?: number;
  resamples?: number;
  seed?: number;
}

export interface Rates {
  pass: number;
  inconclusive: number;
  fail: number;
}

// Class 1 is the minority (30%); the champion is right on 90% of class 0 rows and 80% of class 1 rows.
const WEIGHT = [0.7, 0.3];
const CHAMPION_RIGHT = [0.9, 0.8];

/** Cell probabilities over (label, challenger right, champion right) when the challenger loses share theta. */
function population(theta: number, disagreement: number): number[] {
  const cells: number[] = [];
  for (let c = 0; c < 2; c++) {
    const championOnly = disagreement * (0.5 + theta);
    const challengerOnly = disagreement * (0.5 - theta);
    const both = CHAMPION_RIGHT[c]! - championOnly;
    const neither = 1 - both - championOnly - challengerOnly;
    // Order: (right A, right B) = (1,1), (1,0), (0,1), (0,0).
    cells.push(...[both, challengerOnly, championOnly, neither].map((p) => p * WEIGHT[c]!));
  }
  return cells;
}

function confusion(cells: number[], model: "a" | "b"): Float64Array {
  const counts = new Float64Array(4);
  for (let c = 0; c < 2; c++) {
    for (let j = 0; j < 4; j++) {
      const right = model === "a" ? j < 2 : j === 0 || j === 2;
      counts[c * 2 + (right ? c : 1 - c)]! += cells[c * 4 + j]!;
    }
  }
  return counts;
}

/** The theta at which the population drop in `metric` equals `drop` (bisection; the drop rises with theta). */
export function thetaFor(metric: Cell["metric"], drop: number, disagreement: number): number {
  const score = getMetric("classification", metric)!.fromConfusion!;
  const dropAt = (theta: number) => {
    const cells = population(theta, disagreement);
    return score(confusion(cells, "b"), 2) - score(confusion(cells, "a"), 2);
  };
  let [low, high] = [-0.5, 0.5];
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (dropAt(mid) < drop) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

function draw(cells: number[], rows: number, random: () => number): [ClassificationData, ClassificationData] {
  const labels = new Int32Array(rows);
  const [pa, pb] = [new Float32Array(rows * 2), new Float32Array(rows * 2)];
  for (let i = 0; i < rows; i++) {
    let u = random();
    let cell = 0;
    while (cell < 7 && u >= cells[cell]!) u -= cells[cell++]!;
    const label = cell >> 2;
    const j = cell & 3;
    const [rightA, rightB] = [j < 2, j === 0 || j === 2];
    labels[i] = label;
    const [a, b] = [rightA ? label : 1 - label, rightB ? label : 1 - label];
    pa[i * 2 + a] = 0.8;
    pa[i * 2 + 1 - a] = 0.2;
    pb[i * 2 + b] = 0.8;
    pb[i * 2 + 1 - b] = 0.2;
  }
  const classes = ["no", "yes"];
  return [
    { labels, probabilities: pa, classes },
    { labels: labels.slice(), probabilities: pb, classes },
  ];
}

/** Shares of pass / inconclusive / fail over `repeats` test sets drawn from the population. */
export function simulate(cell: Cell): Rates {
  const { metric, rows, drop, repeats, margin = 0.02, disagreement = 0.1, resamples = 1000, seed = 1 } = cell;
  const cells = population(thetaFor(metric, drop, disagreement), disagreement);
  const random = mulberry32(seed * 7919 + rows);
  const counts = { pass: 0, inconclusive: 0, fail: 0 };
  for (let r = 0; r < repeats; r++) {
    const [challenger, champion] = draw(cells, rows, random);
    const { gates } = compareModels("classification", challenger, champion, [{ metric, maxDrop: margin }], {
      significance: 0.05,
      seed: r + 1,
      resamples,
      only: [metric],
    });
    counts[gates[0]!.outcome] += 1;
  }
  return {
    pass: counts.pass / repeats,
    inconclusive: counts.inconclusive / repeats,
    fail: counts.fail / repeats,
  };
}
