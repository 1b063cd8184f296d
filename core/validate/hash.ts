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
 * hashNumber then mixRow for each of the first `size` values of `numbers` (none NaN) into rows 0..size-1,
 * the words read from `numbers` itself: a typed number column's batch without a call or store a value.
 */
export function mixNumbers(numbers: Float64Array, size: number, rowA: Int32Array, rowB: Int32Array): void {
  const words = new Int32Array(numbers.buffer, numbers.byteOffset, 2 * size);
  for (let r = 0; r < size; r++) {
    // As n + 0 in hashNumber: -0 hashes as 0.
    const zero = numbers[r] === 0;
    const lo = zero ? 0 : words[2 * r]!;
    const hi = zero ? 0 : words[2 * r + 1]!;
    let a = Math.imul(lo ^ 0x2545f491, 0x9e3779b1) ^ hi;
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    let b = Math.imul(hi ^ 0x68e31da4, 0xcc9e2d51) ^ lo;
    b = Math.imul(b ^ (b >>> 15), 0x1b873593);
    const x = rowA[r]!;
    const y = rowB[r]!;
    rowA[r] = Math.imul(((x << 5) | (x >>> 27)) ^ (a ^ (a >>> 13)), 0x01000193);
    rowB[r] = Math.imul(((y << 11) | (y >>> 21)) ^ (b ^ (b >>> 16)), 0x5bd1e995);
  }
}

/**
 * Every (hash, line) pair seen, bucketed by the hash's top bits: appending is sequential, and
 * repeats are found at the end one bucket at a time, each bucket's table small enough to stay in
 * cache (one 25 MB table probed at random costs ~180 ns a row in cache misses; this ~25 ns).
 * Each bucket is one or a few runs of blocks sorted by line (a run per interleaved part merged
 * in), put in line order one bucket at a time by findRepeats, so the result does not depend on
 * how the rows were split or merged, and merging never copies a whole log.
 * 12 bytes a row, in fixed-size blocks: growing copies nothing and leaves no garbage, parts over
 * consecutive lines merge by handing blocks over, and each block is its own ArrayBuffer, so a
 * worker's log moves to the lead thread by transfer (transferables) instead of by copy.
 */
export interface HashLogState {
  /**
   * Per bucket: blocks of (a, b, line) triples, ascending by line within a block and from one block
   * to the next except where a run ends. Every block is used to its length except a bucket's last,
   * used up to `fill`.
   */
  blocks: Int32Array[][];
  /** Int32s used in each bucket's last block. */
  fill: Int32Array;
}

const BUCKET_BITS = 8;
const BUCKETS = 1 << BUCKET_BITS;
/** 512 triples (6 kB): under a block per bucket (~1.5 MB a log) is ever allocated but unused. */
const BLOCK = 3 * 512;
/** A bucket's first block: small data (and unique columns' logs) stay small. */
const FIRST_BLOCK = 3 * 16;

export function newHashLog(): HashLogState {
  return { blocks: Array.from({ length: BUCKETS }, () => []), fill: new Int32Array(BUCKETS) };
}

/** Records hash (a, b) seen on `line`; lines must arrive ascending (batches in file order). */
export function logHash(log: HashLogState, a: number, b: number, line: number): void {
  const p = a >>> (32 - BUCKET_BITS);
  const blocks = log.blocks[p]!;
  let at = log.fill[p]!;
  let block = blocks[blocks.length - 1];
  if (block === undefined || at === block.length) {
    block = new Int32Array(block === undefined ? FIRST_BLOCK : BLOCK);
    blocks.push(block);
    at = 0;
  }
  block[at] = a;
  block[at + 1] = b;
  block[at + 2] = line;
  log.fill[p] = at + 3;
}

/** The Int32s used in one bucket. */
function bucketSize(log: HashLogState, p: number): number {
  const blocks = log.blocks[p]!;
  let size = log.fill[p]!;
  for (let i = 0; i < blocks.length - 1; i++) size += blocks[i]!.length;
  return size;
}

/** A bucket's blocks, each cut to what is used (views, not copies). */
function usedBlocks(log: HashLogState, p: number): Int32Array[] {
  const blocks = log.blocks[p]!;
  const last = blocks.length - 1;
  if (last < 0) return [];
  const cut = blocks.slice(0, last);
  if (log.fill[p]! > 0) cut.push(blocks[last]!.subarray(0, log.fill[p]!));
  return cut;
}

/**
 * Adds `from`'s pairs to `into` by handing blocks over: a part over later lines (or earlier ones)
 * extends a bucket's run; an interleaved part's blocks start a new run.
 */
export function mergeHashLog(into: HashLogState, from: HashLogState): void {
  for (let p = 0; p < BUCKETS; p++) {
    const ys = from.blocks[p]!;
    if (ys.length === 0 || from.fill[p] === 0) continue;
    const xs = into.blocks[p]!;
    if (xs.length === 0 || into.fill[p] === 0) {
      into.blocks[p] = ys.slice();
      into.fill[p] = from.fill[p]!;
      continue;
    }
    const xLast = xs[xs.length - 1]![into.fill[p]! - 1]!;
    const yLast = ys[ys.length - 1]![from.fill[p]! - 1]!;
    if (yLast < xs[0]![2]! && xLast >= ys[0]![2]!) {
      into.blocks[p] = [...usedBlocks(from, p), ...xs];
    } else {
      into.blocks[p] = [...usedBlocks(into, p), ...ys];
      into.fill[p] = from.fill[p]!;
    }
  }
}

function flatten(blocks: Int32Array[]): Int32Array {
  const out = new Int32Array(blocks.reduce((sum, block) => sum + block.length, 0));
  let at = 0;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}

/** Two runs of triples, each ascending by line, as one. */
function mergeSorted(xs: Int32Array, ys: Int32Array): Int32Array {
  const out = new Int32Array(xs.length + ys.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < xs.length || j < ys.length) {
    const fromX = j >= ys.length || (i < xs.length && xs[i + 2]! <= ys[j + 2]!);
    const arr = fromX ? xs : ys;
    const at = fromX ? i : j;
    out[k] = arr[at]!;
    out[k + 1] = arr[at + 1]!;
    out[k + 2] = arr[at + 2]!;
    k += 3;
    if (fromX) i += 3;
    else j += 3;
  }
  return out;
}

/** Calls `onRepeat(line, firstLine)` for every pair whose hash was seen on an earlier line. */
export function findRepeats(log: HashLogState, onRepeat: (repeat: number, first: number) => void): void {
  const sizes = Array.from({ length: BUCKETS }, (_, p) => bucketSize(log, p));
  // One table, cleared per bucket: sized for the largest bucket, at least twice its entries
  // (a power of two) so linear probes stay short.
  const largest = Math.max(...sizes) / 3;
  const space = new Int32Array((1 << Math.ceil(Math.log2(Math.max(2, largest * 2)))) * 3);
  for (let p = 0; p < BUCKETS; p++) {
    const used = sizes[p]!;
    if (used <= 3) continue;
    const slots = 1 << Math.ceil(Math.log2((used / 3) * 2));
    const mask = slots - 1;
    const table = space.subarray(0, slots * 3);
    table.fill(0);
    for (const part of inLineOrder(usedBlocks(log, p))) {
      for (let at = 0; at < part.length; at += 3) {
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
}

/** A bucket's blocks as runs ascending by line; runs that interleave are merged into one block. */
function inLineOrder(blocks: Int32Array[]): Int32Array[] {
  const runs: Int32Array[][] = [];
  let last = -1;
  for (const block of blocks) {
    if (block.length === 0) continue;
    if (runs.length === 0 || block[2]! <= last) runs.push([]);
    runs[runs.length - 1]!.push(block);
    last = block[block.length - 1]!;
  }
  if (runs.length <= 1) return blocks;
  let merged = flatten(runs[0]!);
  for (let i = 1; i < runs.length; i++) merged = mergeSorted(merged, flatten(runs[i]!));
  return [merged];
}
