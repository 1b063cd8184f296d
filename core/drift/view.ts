import type { Points, QuantileSketch } from "../profile/index.js";
import { sketchPoints } from "./buckets.js";

/**
 * One side of one column, as every drift method reads it: a numeric column carries its quantile sketch
 * (and its sorted values when they were cheap to keep), a categorical one its exact value counts.
 */
export interface ColumnView {
  /** Values compared: the finite numbers of a numeric column, the present cells of a categorical one. */
  n: number;
  /** Exact counts per value (categorical; numeric only when every distinct value was listed). */
  counts?: Map<string, number>;
  sketch?: QuantileSketch;
  /** The profile's equal-width grid, when it has one (profiles written before it do not). */
  grid?: Points;
  /** What the methods read: the finer of grid and sketch for this pair of sides (views.ts). */
  points?: Points;
  /** Every finite value, ascending; only when the data was read raw and small enough to keep. */
  sorted?: Float64Array;
  mean?: number;
  /** Sample standard deviation (n - 1). */
  std?: number;
}

export type MethodKind = "test" | "distance";

export interface MethodOutcome {
  statistic: number;
  pValue?: number;
  /** Whether the statistic came from exact values, the profiles' sketches or their grids. */
  source: "exact" | "sketch" | "grid";
}

/**
 * A per-column drift method (a plug-in, see methods/index.ts). Tests flag drift when the p-value is
 * below the threshold, distances when the statistic reaches it.
 */
export interface DriftMethod {
  /**
   * The name `drift.method`, `--method` and `with.method` use. The registry (methods/index.ts) is the one
   * list: `npm run schemas` copies the names to the config enum and the action.yml descriptions.
   */
  name: string;
  kind: MethodKind;
  /** Evidently's defaults: 0.05 for p-values, 0.1 for distances. */
  defaultThreshold: number;
  /**
   * Whether it can compare a column read as `as` with `distinct` values (both sides' union). A numeric column
   * with few values is offered as categories when the numeric reading is refused.
   */
  accepts(as: ColumnKind, distinct: number): boolean;
  compare(reference: ColumnView, current: ColumnView, as: ColumnKind): MethodOutcome;
}

export type ColumnKind = "numeric" | "categorical";

/** The usual `accepts`: by column kind only. */
export function acceptsKinds(...kinds: ColumnKind[]): DriftMethod["accepts"] {
  return (as) => kinds.includes(as);
}

/** Sorted union of both sides' categories, so results never depend on Map insertion order. */
export function categoryKeys(a: ColumnView, b: ColumnView): string[] {
  const keys = new Set<string>([...(a.counts?.keys() ?? []), ...(b.counts?.keys() ?? [])]);
  return [...keys].sort();
}

export function countsOf(view: ColumnView, keys: string[]): number[] {
  return keys.map((key) => view.counts?.get(key) ?? 0);
}

export function requireCounts(view: ColumnView, method: string): Map<string, number> {
  if (!view.counts) throw new Error(`${method}: column has no value counts`);
  return view.counts;
}

export function requirePoints(view: ColumnView, method: string): Points {
  if (view.points) return view.points;
  if (!view.sketch) throw new Error(`${method}: numeric column has no sketch`);
  return sketchPoints(view.sketch);
}
