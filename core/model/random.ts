/**
 * Seeded randomness for everything training draws (split, shuffle, dropout masks), so the same seed
 * gives the same run on any backend: tfjs's own random ops are unseeded or reuse one seed per call.
 */

/** mulberry32 (shared with the bootstrap): tiny, fast, good enough for shuffling and masks. */
export { mulberry32 as prng } from "../stats/random.js";

/** A seed for one purpose (a layer's initialiser, the shuffle), derived from the run seed. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of [...parts, parts.length]) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** Fisher-Yates in place. */
export function shuffle(values: Uint32Array, random: () => number): Uint32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = values[i]!;
    values[i] = values[j]!;
    values[j] = swap;
  }
  return values;
}

export function range(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Dropout masks from a counter-based hash (lowbias32 over `base + i`), not a sequential stream: every mask
 * element is a pure function of (seed, batch layer call, element), so both trainers draw identical masks and
 * the hot loop is a few integer multiplies with no function call per element.
 */
export function dropoutBase(seed: number, call: number): number {
  return deriveSeed(seed, 0xd0, call);
}

/** True when element `i` of a mask drawn with `base` is dropped; `threshold` is `dropThreshold(rate)`. */
export function dropped(base: number, i: number, threshold: number): boolean {
  let h = (base + Math.imul(i, 0x9e3779b9)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0 < threshold;
}

export function dropThreshold(rate: number): number {
  return Math.min(Math.round(rate * 2 ** 32), 2 ** 32 - 1);
}
