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
