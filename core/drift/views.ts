import { type ColumnProfile, gridPoints, type Points, QuantileSketch } from "../profile/index.js";
import { sketchPoints, sketchResolution } from "./buckets.js";
import type { ColumnView } from "./view.js";

const NOT_FINITE = new Set(["NaN", "Infinity", "-Infinity"]);

export type ViewResult = { view: ColumnView } | { skip: string };

/**
 * One side of a column read the way the reference's kind says: numbers (sketch, exact sorted values
 * when given, value counts when every value was listed) or categories (exact counts).
 */
export function columnView(
  profile: ColumnProfile,
  as: "numeric" | "categorical",
  sorted: Float64Array | undefined,
  side: string,
): ViewResult {
  if (as === "numeric") {
    const numeric = profile.numeric;
    if (!numeric || profile.numbers === 0) return { skip: `no numbers in ${side}` };
    const counts = profile.values.complete
      ? new Map(profile.values.top.filter((v) => !NOT_FINITE.has(v.value)).map((v) => [v.value, v.count]))
      : undefined;
    return {
      view: {
        n: profile.numbers,
        sketch: QuantileSketch.fromData(numeric.sketch),
        ...(numeric.grid
          ? { grid: gridPoints(numeric.grid, numeric.min, numeric.max, numeric.integer) }
          : {}),
        ...(sorted && sorted.length === profile.numbers ? { sorted } : {}),
        ...(counts ? { counts } : {}),
        mean: numeric.mean,
        std: numeric.std,
      },
    };
  }
  if (!profile.values.complete)
    return { skip: `too many distinct values in ${side} to compare as categories` };
  const counts = new Map(profile.values.top.map((v) => [v.value, v.count]));
  let n = 0;
  for (const count of counts.values()) n += count;
  if (n === 0) return { skip: `no values in ${side}` };
  return { view: { n, counts } };
}

/** How a column is compared, from the reference's kind; text and empty columns are not. */
export function comparedAs(profile: ColumnProfile): "numeric" | "categorical" | undefined {
  if (profile.kind === "numeric") return "numeric";
  if (profile.kind === "categorical" || profile.kind === "boolean") return "categorical";
  return undefined;
}

/** Distinct values over both sides; past what profiles list exactly, at least the larger side's count. */
export function unionDistinct(
  a: ColumnProfile,
  b: ColumnProfile,
  viewA: ColumnView,
  viewB: ColumnView,
): number {
  if (viewA.counts && viewB.counts) return new Set([...viewA.counts.keys(), ...viewB.counts.keys()]).size;
  return Math.max(a.distinct.value, b.distinct.value);
}

/**
 * Which of the profiles' two shapes a numeric pair is compared on: the grid when both sides have one
 * and its buckets are narrower than the sketch's in the bulk of the data (offset data: epoch seconds,
 * years, N(1000, 5)), else the sketch (heavy tails, data around 0).
 */
export function finerPair(
  a: { sketch: Points; grid?: Points },
  b: { sketch: Points; grid?: Points },
): [Points, Points] {
  const gridWidth = Math.max(
    a.grid?.width ?? Number.POSITIVE_INFINITY,
    b.grid?.width ?? Number.POSITIVE_INFINITY,
  );
  const useGrid = gridWidth < Math.max(sketchResolution(a.sketch), sketchResolution(b.sketch));
  return useGrid && a.grid && b.grid ? [a.grid, b.grid] : [a.sketch, b.sketch];
}

/** Sets both views' `points` to the finer pair. */
export function choosePoints(a: ColumnView, b: ColumnView): void {
  if (!a.sketch || !b.sketch) return;
  [a.points, b.points] = finerPair(
    { sketch: sketchPoints(a.sketch), grid: a.grid },
    { sketch: sketchPoints(b.sketch), grid: b.grid },
  );
}

/** A profile's numeric summary as points: its sketch and, when stored, its grid. */
export function numericPoints(numeric: NonNullable<ColumnProfile["numeric"]>): {
  sketch: Points;
  grid?: Points;
} {
  return {
    sketch: sketchPoints(QuantileSketch.fromData(numeric.sketch)),
    ...(numeric.grid ? { grid: gridPoints(numeric.grid, numeric.min, numeric.max, numeric.integer) } : {}),
  };
}
