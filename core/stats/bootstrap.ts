import { predicted } from "../metrics/confusion.js";
import type { ClassificationData, DataFor, MetricOf, RegressionData, Task } from "../metrics/schema.js";
import { logFactorials, mulberry32, multinomial, resample } from "./random.js";
import { type BootstrapQuantiles, QUANTILE_STEPS } from "./schema.js";

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

function rowsOf(data: DataFor[Task]): number {
  return "labels" in data ? data.labels.length : data.actual.length;
}

/** The q-quantile of sorted values, interpolating linearly between order statistics (numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/** Quantiles at i / QUANTILE_STEPS, to 9 significant digits (the report stays small; bounds do not move). */
export function quantileGrid(values: Float64Array): number[] {
  const sorted = values.slice().sort();
  return Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) =>
    Number(quantile(sorted, i / QUANTILE_STEPS).toPrecision(9)),
  );
}

/** Rows whose output differs between the models: predicted classes, or the raw scores / predictions. */
function discordance<T extends Task>(challenger: DataFor[T], champion: DataFor[T], byClass: boolean): number {
  let count = 0;
  if ("labels" in challenger) {
    const a = challenger as ClassificationData;
    const b = champion as ClassificationData;
    if (byClass) {
      const [pa, pb] = [predicted(a), predicted(b)];
      for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) count += 1;
      return count;
    }
    const k = a.classes.length;
    for (let i = 0; i < a.labels.length; i++) {
      for (let c = 0; c < k; c++) {
        if (a.probabilities[i * k + c] !== b.probabilities[i * k + c]) {
          count += 1;
          break;
        }
      }
    }
    return count;
  }
  const [pa, pb] = [(challenger as RegressionData).predicted, (champion as RegressionData).predicted];
  for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) count += 1;
  return count;
}

/** Each row's joint cell (label, challenger's class, champion's class), so a resample counts once for both. */
function jointCells(a: ClassificationData, b: ClassificationData): Int32Array {
  const k = a.classes.length;
  const [pa, pb] = [predicted(a), predicted(b)];
  return Int32Array.from(a.labels, (label, i) => (label * k + pa[i]!) * k + pb[i]!);
}

/** Folds joint counts into the two models' [true][predicted] confusion counts. */
function split(joint: Float64Array, k: number, a: Float64Array, b: Float64Array): void {
  a.fill(0);
  b.fill(0);
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) {
        const count = joint[(t * k + p) * k + q]!;
        a[t * k + p]! += count;
        b[t * k + q]! += count;
      }
    }
  }
}

/**
 * Paired bootstrap of challenger - champion, every metric on its own: each resample draws the same
 * rows for both models, so the difficulty they share cancels out. The result is the raw evidence
 * (quantiles of the resampled differences) from which a bound at any level is read later.
 * Confusion-matrix metrics are scored from joint counts: one pass over the drawn rows for all of them.
 */
export function pairedBootstrapAll<T extends Task>(
  metrics: readonly MetricOf<T>[],
  challenger: DataFor[T],
  champion: DataFor[T],
  { resamples = 1000, seed = 42 }: BootstrapOptions = {},
): Record<string, BootstrapQuantiles | undefined> {
  const n = rowsOf(challenger);
  if (rowsOf(champion) !== n) {
    throw new Error(`paired bootstrap: challenger has ${n} rows but champion ${rowsOf(champion)}`);
  }
  const classification = "labels" in challenger;
  const k = classification ? (challenger as ClassificationData).classes.length : 0;
  const cells = classification
    ? jointCells(challenger as ClassificationData, champion as ClassificationData)
    : undefined;
  const joint = new Float64Array(k * k * k);
  const [countsA, countsB] = [new Float64Array(k * k), new Float64Array(k * k)];
  const deltas = metrics.map(() => new Float64Array(resamples));
  const kept = metrics.map(() => 0);
  const random = mulberry32(seed);
  const index = new Int32Array(n);
  // The confusion metrics only need the drawn rows' joint cell counts: one multinomial draw.
  const observed = new Float64Array(k * k * k);
  if (cells) for (let i = 0; i < n; i++) observed[cells[i]!]! += 1;
  const byRow = metrics.some((metric) => !metric.fromConfusion);
  const logFactorial = logFactorials(n);
  for (let r = 0; r < resamples; r++) {
    if (cells) {
      multinomial(random, n, observed, joint, logFactorial);
      split(joint, k, countsA, countsB);
    }
    if (byRow) resample(random, n, index);
    metrics.forEach((metric, m) => {
      const d = metric.fromConfusion
        ? metric.fromConfusion(countsA, k) - metric.fromConfusion(countsB, k)
        : metric.compute(challenger, index) - metric.compute(champion, index);
      // A resample can leave a metric undefined (roc_auc without one of the classes): it is skipped.
      if (Number.isNaN(d)) return;
      deltas[m]![kept[m]!] = d;
      kept[m]! += 1;
    });
  }
  const byClass = discordance(challenger, champion, true);
  const byOutput = metrics.some((m) => !m.fromConfusion) ? discordance(challenger, champion, false) : 0;
  return Object.fromEntries(
    metrics.map((metric, m) => {
      if (kept[m] === 0) return [metric.name, undefined];
      return [
        metric.name,
        {
          kind: "bootstrap",
          rows: n,
          resamples: kept[m]!,
          seed,
          discordant: metric.fromConfusion ? byClass : byOutput,
          quantiles: quantileGrid(deltas[m]!.subarray(0, kept[m])),
        } satisfies BootstrapQuantiles,
      ];
    }),
  );
}

export function pairedBootstrap<T extends Task>(
  metric: MetricOf<T>,
  challenger: DataFor[T],
  champion: DataFor[T],
  options: BootstrapOptions = {},
): BootstrapQuantiles | undefined {
  return pairedBootstrapAll([metric], challenger, champion, options)[metric.name];
}
