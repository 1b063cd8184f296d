/**
 * 64-bit cell and row hashes as two independent 32-bit halves, and a compact open-addressing
 * table of them. A Map of row strings would cost ~100 bytes a row; this costs 12 bytes a slot.
 */

/** The last hash computed: [low half, high half]. Written in place so hashing never allocates. */
export const H = new Int32Array(2);

const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);

/** FNV-1a for one half, a murmur-style multiply-xorshift for the other. */
export function hashString(text: string): void {
  let a = 0x811c9dc5 | 0;
  let b = 0x3c6ef372 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  H[0] = a;
  H[1] = b ^ (b >>> 13);
}

/** Hashes a number by its bits; -0 and 0 hash alike. */
export function hashNumber(n: number): void {
  F64[0] = n + 0;
  const lo = I32[0]!;
  const hi = I32[1]!;
  let a = Math.imul(lo ^ 0x2545f491, 0x9e3779b1) ^ hi;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  let b = Math.imul(hi ^ 0x68e31da4, 0xcc9e2d51) ^ lo;
  b = Math.imul(b ^ (b >>> 15), 0x1b873593);
  H[0] = a ^ (a >>> 13);
  H[1] = b ^ (b >>> 16);
}

/** Constants for values with no text to hash. */
export function hashConstant(k: number): void {
  H[0] = Math.imul(k + 1, 0x9e3779b1);
  H[1] = Math.imul(k + 7, 0x85ebca6b);
}

/** Folds the current cell hash `H` into row r's running hash; column order matters. */
export function mixRow(rowA: Int32Array, rowB: Int32Array, r: number): void {
  const a = rowA[r]!;
  const b = rowB[r]!;
  rowA[r] = Math.imul(((a << 5) | (a >>> 27)) ^ H[0]!, 0x01000193);
  rowB[r] = Math.imul(((b << 11) | (b >>> 21)) ^ H[1]!, 0x5bd1e995);
}

/**
 * Every (hash, line) pair seen, bucketed by the hash's top bits: appending is sequential, and
 * repeats are found at the end one bucket at a time, each bucket's table small enough to stay in
 * cache (one 25 MB table probed at random costs ~180 ns a row in cache misses; this ~25 ns).
 * Each bucket stays sorted by line, so the result does not depend on merge order.
 * 12 bytes a row. Plain typed arrays: structured-clone-able.
 */
export interface HashLogState {
  /** Per bucket: (a, b, line) triples, ascending by line. */
  parts: Int32Array[];
  /** Int32s used in each bucket. */
  used: Int32Array;
}

const BUCKET_BITS = 8;
const BUCKETS = 1 << BUCKET_BITS;

export function newHashLog(): HashLogState {
  return { parts: Array.from({ length: BUCKETS }, () => new Int32Array(48)), used: new Int32Array(BUCKETS) };
}

/** Records hash (a, b) seen on `line`; lines must arrive ascending (batches in file order). */
export function logHash(log: HashLogState, a: number, b: number, line: number): void {
  const p = a >>> (32 - BUCKET_BITS);
  let part = log.parts[p]!;
  const at = log.used[p]!;
  if (at + 3 > part.length) {
    const bigger = new Int32Array(part.length * 2);
    bigger.set(part);
    log.parts[p] = part = bigger;
  }
  part[at] = a;
  part[at + 1] = b;
  part[at + 2] = line;
  log.used[p] = at + 3;
}

/** Adds `from`'s pairs to `into`, keeping every bucket sorted by line. */
export function mergeHashLog(into: HashLogState, from: HashLogState): void {
  for (let p = 0; p < BUCKETS; p++) {
    const xs = into.parts[p]!;
    const xn = into.used[p]!;
    const ys = from.parts[p]!;
    const yn = from.used[p]!;
    if (yn === 0) continue;
    const out = new Int32Array(Math.max(48, xn + yn));
    if (xn === 0 || xs[xn - 1]! < ys[2]!) {
      out.set(xs.subarray(0, xn));
      out.set(ys.subarray(0, yn), xn);
    } else {
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < xn || j < yn) {
        const src = j >= yn || (i < xn && xs[i + 2]! <= ys[j + 2]!) ? 0 : 1;
        const arr = src === 0 ? xs : ys;
        const at = src === 0 ? i : j;
        out[k] = arr[at]!;
        out[k + 1] = arr[at + 1]!;
        out[k + 2] = arr[at + 2]!;
        k += 3;
        if (src === 0) i += 3;
        else j += 3;
      }
    }
    into.parts[p] = out;
    into.used[p] = xn + yn;
  }
}

/** Calls `onRepeat(line, firstLine)` for every pair whose hash was seen on an earlier line. */
export function findRepeats(log: HashLogState, onRepeat: (repeat: number, first: number) => void): void {
  // One table, cleared per bucket: sized for the largest bucket, at least twice its entries
  // (a power of two) so linear probes stay short.
  const largest = Math.max(...log.used) / 3;
  const space = new Int32Array((1 << Math.ceil(Math.log2(Math.max(2, largest * 2)))) * 3);
  for (let p = 0; p < BUCKETS; p++) {
    const part = log.parts[p]!;
    const used = log.used[p]!;
    if (used <= 3) continue;
    const slots = 1 << Math.ceil(Math.log2((used / 3) * 2));
    const mask = slots - 1;
    const table = space.subarray(0, slots * 3);
    table.fill(0);
    for (let at = 0; at < used; at += 3) {
      const a = part[at]!;
      const b = part[at + 1]!;
      const line = part[at + 2]!;
      let slot = (Math.imul(b ^ (a >>> 7), 0x9e3779b1) >>> 11) & mask;
      for (;;) {
        const o = slot * 3;
        const seen = table[o + 2]!;
        if (seen === 0) {
          table[o] = a;
          table[o + 1] = b;
          table[o + 2] = line;
          break;
        }
        if (table[o] === a && table[o + 1] === b) {
          onRepeat(line, seen);
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
}
