import { aligned } from "./buckets.js";
import { type ColumnView, categoryKeys, countsOf, requirePoints } from "./view.js";

/** Past this many distinct reference values a numeric column is binned, below it counted by value (Evidently). */
const BIN_ABOVE_DISTINCT = 20;

export interface Shares {
  reference: number[];
  current: number[];
  source: "exact" | "sketch" | "grid";
}

/**
 * Evidently's get_binned_data: numeric columns with many values go into Sturges' equal-width bins over
 * both sides' range, everything else is counted per value (the union of both sides' values).
 * `fillZeros` replaces empty shares by a small positive one, as PSI needs.
 */
export function binnedShares(
  reference: ColumnView,
  current: ColumnView,
  as: "numeric" | "categorical",
  fillZeros: boolean,
): Shares {
  const binned = as === "numeric" && !(reference.counts && reference.counts.size <= BIN_ABOVE_DISTINCT);
  const out = binned ? histogramShares(reference, current) : valueShares(reference, current);
  if (fillZeros) {
    fill(out.reference);
    fill(out.current);
  }
  return out;
}

function valueShares(reference: ColumnView, current: ColumnView): Shares {
  const keys = categoryKeys(reference, current);
  const share = (counts: number[], n: number) => counts.map((c) => (n > 0 ? c / n : 0));
  return {
    reference: share(countsOf(reference, keys), reference.n),
    current: share(countsOf(current, keys), current.n),
    source: "exact",
  };
}

function histogramShares(reference: ColumnView, current: ColumnView): Shares {
  const n = reference.n + current.n;
  const bins = Math.max(1, Math.ceil(Math.log2(n) + 1));
  if (reference.sorted && current.sorted) {
    const lo = Math.min(reference.sorted[0]!, current.sorted[0]!);
    const hi = Math.max(reference.sorted.at(-1)!, current.sorted.at(-1)!);
    return {
      reference: sortedHistogram(reference.sorted, lo, hi, bins),
      current: sortedHistogram(current.sorted, lo, hi, bins),
      source: "exact",
    };
  }
  const a = requirePoints(reference, "binning");
  const b = requirePoints(current, "binning");
  const lo = Math.min(a.min, b.min);
  const hi = Math.max(a.max, b.max);
  const h = aligned(a, b);
  const ra = new Array<number>(bins).fill(0);
  const rb = new Array<number>(bins).fill(0);
  for (let k = 0; k < h.value.length; k++) {
    const bin = binOf(Math.min(Math.max(h.value[k]!, lo), hi), lo, hi, bins);
    ra[bin]! += h.a[k]!;
    rb[bin]! += h.b[k]!;
  }
  return { reference: ra.map((c) => c / a.count), current: rb.map((c) => c / b.count), source: a.source };
}

/** numpy.histogram's rule: bins are [lo + k w, lo + (k+1) w), the last one closed. */
function binOf(x: number, lo: number, hi: number, bins: number): number {
  if (hi <= lo) return 0;
  return Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins));
}

function sortedHistogram(sorted: Float64Array, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < sorted.length; i++) counts[binOf(sorted[i]!, lo, hi, bins)]!++;
  return counts.map((c) => c / sorted.length);
}

/** Evidently's feel_zeroes: empty shares become min(non-empty) / 1e6 when that is <= 1e-4, else 1e-4. */
function fill(shares: number[]): void {
  const positive = shares.filter((s) => s > 0);
  if (positive.length === 0) return;
  const min = Math.min(...positive);
  const floor = min <= 0.0001 ? min / 1e6 : 0.0001;
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = floor;
}
