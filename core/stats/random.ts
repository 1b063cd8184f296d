import { logGamma } from "./distributions.js";

/**
 * mulberry32: a tiny 32-bit generator, fast and good enough for resampling; the same seed gives the
 * same stream on every platform, which is what makes a gate verdict reproducible.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `into` with row indices in [0, n) drawn with replacement. */
export function resample(random: () => number, n: number, into: Int32Array): Int32Array {
  for (let j = 0; j < into.length; j++) into[j] = Math.floor(random() * n);
  return into;
}

/**
 * Binomial(n, p) by inversion from the mode (Kemp 1986): exact, and about sqrt(n p (1 - p)) steps,
 * so a resample of a confusion matrix costs its cells, not its rows.
 */
export function binomial(
  random: () => number,
  n: number,
  p: number,
  logFactorial: (k: number) => number = (k) => logGamma(k + 1),
): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const odds = p / (1 - p);
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const atMode = Math.exp(
    logFactorial(n) -
      logFactorial(mode) -
      logFactorial(n - mode) +
      mode * Math.log(p) +
      (n - mode) * Math.log1p(-p),
  );
  let u = random() - atMode;
  if (u < 0) return mode;
  let [low, high, pLow, pHigh] = [mode, mode, atMode, atMode];
  while (low > 0 || high < n) {
    if (high < n) {
      pHigh *= ((n - high) / (high + 1)) * odds;
      high += 1;
      u -= pHigh;
      if (u < 0) return high;
    }
    if (low > 0) {
      pLow *= low / ((n - low + 1) * odds);
      low -= 1;
      u -= pLow;
      if (u < 0) return low;
    }
  }
  return mode; // the mass left by rounding, ~1e-15
}

/** log(k!) for k <= n, as a table: a multinomial draw then needs no log-gamma. */
export function logFactorials(n: number): (k: number) => number {
  const table = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) table[k] = table[k - 1]! + Math.log(k);
  return (k) => table[k]!;
}

/** Multinomial(n, weights / sum) as conditional binomials, into `counts`. */
export function multinomial(
  random: () => number,
  n: number,
  weights: Float64Array,
  counts: Float64Array,
  logFactorial = logFactorials(n),
): void {
  let left = n;
  let mass = 0;
  for (let i = 0; i < weights.length; i++) mass += weights[i]!;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    const drawn =
      left === 0 || w === 0 ? 0 : w >= mass ? left : binomial(random, left, w / mass, logFactorial);
    counts[i] = drawn;
    left -= drawn;
    mass -= w;
  }
}
