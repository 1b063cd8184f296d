/**
 * Cheap, deterministic 32-bit hashes for distinct counting and row comparison.
 * Numbers hash by their float64 bits, so "1.0", "1" and 1 (after parsing) are one value.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** murmur3's finaliser: spreads every input bit over the whole word. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function hashNumber(n: number, seed = 0): number {
  // -0 and 0 are the same value to a user.
  f64[0] = n === 0 ? 0 : n;
  return hashWords(u32[0]!, u32[1]!, seed);
}

/** hashWords' constants; ValueCounter.countNumbers computes it inline. */
export const WORD_SALT = 0x9e3779b9;
export const WORD_MULTIPLIER = 0x27d4eb2d;

/** hashNumber of a non-zero float from its two 32-bit words in memory order (a Uint32Array view). */
export function hashWords(first: number, second: number, seed = 0): number {
  return fmix(Math.imul((first ^ seed) + WORD_SALT, WORD_MULTIPLIER) ^ second);
}

/** FNV-1a over UTF-16 code units, finalised so the low bits are usable too. */
export function hashString(s: string, seed = 0): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix(h);
}

const TRUE_HASH = 0x5bd1e995;
const FALSE_HASH = 0x1b873593;

/** The hash of a normalised value key (see cells.ts: numbers, booleans or strings). */
export function hashKey(key: number | boolean | string, seed = 0): number {
  if (typeof key === "number") return hashNumber(key, seed);
  if (typeof key === "string") return hashString(key, seed);
  return fmix((key ? TRUE_HASH : FALSE_HASH) ^ seed);
}
