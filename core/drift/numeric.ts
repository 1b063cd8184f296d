import { aligned, pointsWasserstein } from "./buckets.js";
import { type ColumnView, requirePoints } from "./view.js";

/** Largest n1 * n2 for which the exact two-sample KS distribution is computed (about 30 ms). */
const KS_EXACT_CELLS = 10_000_000;
/** scipy's ks_2samp switches to the asymptotic distribution past this many values on either side. */
const KS_EXACT_MAX_N = 10_000;

/** Sup |F_a - F_b| over exact values (both sorted), or over the sketches' shared bucket boundaries. */
export function ksStatistic(a: ColumnView, b: ColumnView): { d: number; source: Source } {
  if (a.sorted && b.sorted) return { d: ksSorted(a.sorted, b.sorted), source: "exact" };
  const pa = requirePoints(a, "ks");
  const h = aligned(pa, requirePoints(b, "ks"));
  const na = h.a.reduce((s, x) => s + x, 0);
  const nb = h.b.reduce((s, x) => s + x, 0);
  let ca = 0;
  let cb = 0;
  let d = 0;
  for (let k = 0; k < h.value.length; k++) {
    ca += h.a[k]!;
    cb += h.b[k]!;
    d = Math.max(d, Math.abs(ca / na - cb / nb));
  }
  return { d, source: pa.source };
}

export type Source = "exact" | "sketch" | "grid";

function ksSorted(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/**
 * P(D >= d) for two samples of n1 and n2 values, two-sided. Exact (lattice paths kept strictly inside
 * the band, as scipy's ks_2samp mode "exact") while cheap, else Kolmogorov's limit with Stephens'
 * small-sample correction (Numerical Recipes' probks).
 */
export function ksPValue(d: number, n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  // d is a multiple of 1 / (n1 n2): work in integers so the band edges are exact.
  const h = Math.round(d * n1 * n2);
  if (h === 0) return 1;
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N && n1 * n2 <= KS_EXACT_CELLS) return ksExact(n1, n2, h);
  const en = Math.sqrt((n1 * n2) / (n1 + n2));
  return kolmogorovSf((en + 0.12 + 0.11 / en) * d);
}

function ksExact(n1: number, n2: number, h: number): number {
  // v[j] is P(a random path reaches (i, j) inside the band) / paths to (i, j): each step weighs i/(i+j), j/(i+j).
  const v = new Float64Array(n2 + 1);
  v[0] = 1;
  for (let j = 1; j <= n2; j++) v[j] = Math.abs(-j * n1) < h ? v[j - 1]! : 0;
  for (let i = 1; i <= n1; i++) {
    v[0] = Math.abs(i * n2) < h ? v[0]! : 0;
    for (let j = 1; j <= n2; j++) {
      v[j] = Math.abs(i * n2 - j * n1) < h ? (i * v[j]! + j * v[j - 1]!) / (i + j) : 0;
    }
  }
  return Math.min(1, Math.max(0, 1 - v[n2]!));
}

/** Q_KS(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2). */
export function kolmogorovSf(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-16 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** First Wasserstein distance between the two sides' distributions. */
export function wassersteinDistance(a: ColumnView, b: ColumnView): { w: number; source: Source } {
  if (a.sorted && b.sorted) return { w: wassersteinSorted(a.sorted, b.sorted), source: "exact" };
  const pa = requirePoints(a, "wasserstein");
  return { w: pointsWasserstein(pa, requirePoints(b, "wasserstein")), source: pa.source };
}

/** Integral of |F_a - F_b| over the merged sorted values (scipy.stats.wasserstein_distance). */
function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let prev = Math.min(a[0]!, b[0]!);
  let distance = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    distance += Math.abs(i / a.length - j / b.length) * (x - prev);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    prev = x;
  }
  return distance;
}

/** Population standard deviation (numpy's np.std) from the profile's sample one. */
export function populationStd(view: ColumnView): number {
  const std = view.std ?? 0;
  return view.n > 1 ? std * Math.sqrt((view.n - 1) / view.n) : 0;
}
