import type { DataFor, MetricOf, Task } from "../metrics/schema.js";
import { mulberry32, resample } from "./random.js";
import type { PairedTest } from "./schema.js";

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  confidence?: number;
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

interface Tally {
  deltas: number[];
  notWorse: number;
}

function summarise(delta: number, { deltas, notWorse }: Tally, confidence: number): PairedTest {
  if (deltas.length === 0) return { delta, ci: [delta, delta], pValue: 1 };
  deltas.sort((a, b) => a - b);
  const alpha = 1 - confidence;
  return {
    delta,
    ci: [quantile(deltas, alpha / 2), quantile(deltas, 1 - alpha / 2)],
    pValue: (notWorse + 1) / (deltas.length + 1),
  };
}

/**
 * Paired bootstrap of challenger - champion: each resample draws the same rows for both models, so the
 * row-to-row difficulty they share cancels out and the interval is much narrower than for two unpaired
 * scores. The p-value is the share of resamples in which the challenger is not worse (with the +1
 * correction that keeps it above 0): small means "the challenger is worse" beyond resampling noise.
 * All metrics share each resample: drawing the rows costs as much as scoring them.
 */
export function pairedBootstrapAll<T extends Task>(
  metrics: readonly MetricOf<T>[],
  challenger: DataFor[T],
  champion: DataFor[T],
  { resamples = 1000, seed = 42, confidence = 0.95 }: BootstrapOptions = {},
): Record<string, PairedTest> {
  const n = rowsOf(challenger);
  if (rowsOf(champion) !== n) {
    throw new Error(`paired bootstrap: challenger has ${n} rows but champion ${rowsOf(champion)}`);
  }
  const tallies: Tally[] = metrics.map(() => ({ deltas: [], notWorse: 0 }));
  const random = mulberry32(seed);
  const index = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    resample(random, n, index);
    metrics.forEach((metric, m) => {
      const d = metric.compute(challenger, index) - metric.compute(champion, index);
      // A resample can leave a metric undefined (roc_auc without one of the classes): it is skipped.
      if (Number.isNaN(d)) return;
      const tally = tallies[m]!;
      tally.deltas.push(d);
      if (metric.direction === "max" ? d >= 0 : d <= 0) tally.notWorse += 1;
    });
  }
  return Object.fromEntries(
    metrics.map((metric, m) => {
      const delta = metric.compute(challenger) - metric.compute(champion);
      return [metric.name, summarise(delta, tallies[m]!, confidence)];
    }),
  );
}

export function pairedBootstrap<T extends Task>(
  metric: MetricOf<T>,
  challenger: DataFor[T],
  champion: DataFor[T],
  options: BootstrapOptions = {},
): PairedTest {
  return pairedBootstrapAll([metric], challenger, champion, options)[metric.name]!;
}
