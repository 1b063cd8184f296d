import { hashKey, hashNumber, WORD_MULTIPLIER, WORD_SALT } from "./hash.js";
import { HLL_PRECISION, HyperLogLog } from "./hll.js";
import type { ValueCount } from "./schema.js";

/** Distinct values counted exactly; past this a column switches to a HyperLogLog estimate. */
export const DISTINCT_CAP = 10_000;
/** Whole numbers in [0, SMALL_INTS) are counted in an array: codes, ages, ratings and labels skip the Map. */
const SMALL_INTS = 4096;

export type ValueKey = number | boolean | string;

/** Plain data that structured clone copies, see ValueCounter.toState. */
export interface ValueCounterState {
  keys: Map<ValueKey, number> | null;
  keyCounts: Float64Array | null;
  numbers: NumberCountsState | null;
  small: Float64Array | null;
  booleans: Float64Array;
  hll: Uint8Array | null;
}

/**
 * Counts each distinct value exactly while there are at most DISTINCT_CAP of them (small whole numbers
 * and booleans aside, which are always exact), then only estimates how many there are. Whether it
 * truncates depends on the set of values alone, so merged parts agree with one pass over the whole.
 */
export class ValueCounter {
  /** Strings (and booleans); numbers are in `numbers`. */
  private keys: Map<ValueKey, number> | null = new Map();
  private keyCounts: Float64Array | null = new Float64Array(64);
  private numbers: NumberCounts | null = new NumberCounts();
  private small: Float64Array | null = null;
  /** [false, true] */
  readonly booleans = new Float64Array(2);
  private hll: HyperLogLog | null = null;

  get truncated(): boolean {
    return this.keys === null;
  }

  count(key: ValueKey, times = 1): void {
    const keys = this.keys;
    if (keys === null) {
      this.hll!.addHash(hashKey(key));
      return;
    }
    const numbers = this.numbers!;
    if (typeof key === "number") {
      if (numbers.add(key, times, keys.size + numbers.size < DISTINCT_CAP)) return;
    } else {
      const index = keys.get(key);
      if (index !== undefined) {
        this.keyCounts![index]! += times;
        return;
      }
      if (keys.size + numbers.size < DISTINCT_CAP) {
        const next = keys.size;
        if (next === this.keyCounts!.length) {
          const grown = new Float64Array(next * 2);
          grown.set(this.keyCounts!);
          this.keyCounts = grown;
        }
        keys.set(key, next);
        this.keyCounts![next] = times;
        return;
      }
    }
    this.truncate();
    this.hll!.addHash(hashKey(key));
  }

  /** The first `k` values, all finite. */
  countNumbers(values: Float64Array, k: number): void {
    this.small ??= new Float64Array(SMALL_INTS);
    const small = this.small;
    let i = 0;
    for (; i < k && this.keys !== null; i++) {
      const x = values[i]!;
      if (x >= 0 && x < SMALL_INTS && (x | 0) === x) small[x]!++;
      else this.count(x);
    }
    if (i === k) return;
    // Estimating: each value hashed from its float's words, unboxed: hashWords and HyperLogLog.addHash
    // written out (as calls they were not inlined and cost a third of the loop); the same bits.
    const registers = this.hll!.registers;
    const words = new Int32Array(values.buffer, values.byteOffset, 2 * k);
    for (; i < k; i++) {
      const x = values[i]!;
      // 0 and -0 are small numbers, so a hashed value is never a zero to normalise.
      if (x >= 0 && x < SMALL_INTS && (x | 0) === x) {
        small[x]!++;
        continue;
      }
      let h = Math.imul(words[2 * i]! + WORD_SALT, WORD_MULTIPLIER) ^ words[2 * i + 1]!;
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      h ^= h >>> 16;
      const index = h >>> (32 - HLL_PRECISION);
      const rank = Math.clz32((h << HLL_PRECISION) | (1 << (HLL_PRECISION - 1))) + 1;
      if (rank > registers[index]!) registers[index] = rank;
    }
  }

  /** Too many distinct values: from here on only estimate how many. */
  private truncate(): void {
    const hll = this.hll ?? new HyperLogLog();
    for (const key of this.keys?.keys() ?? []) hll.addHash(hashKey(key));
    this.numbers?.forEach((key) => {
      hll.addHash(hashKey(key));
    });
    this.hll = hll;
    this.keys = null;
    this.keyCounts = null;
    this.numbers = null;
  }

  merge(other: ValueCounter): void {
    this.booleans[0]! += other.booleans[0]!;
    this.booleans[1]! += other.booleans[1]!;
    if (other.small) {
      this.small ??= new Float64Array(SMALL_INTS);
      const small = this.small;
      for (let x = 0; x < SMALL_INTS; x++) small[x]! += other.small[x]!;
    }
    if (other.keys !== null) {
      for (const [key, index] of other.keys) this.count(key, other.keyCounts![index]!);
      other.numbers!.forEach((key, times) => {
        this.count(key, times);
      });
    } else {
      this.truncate();
      this.hll!.merge(other.hll!);
    }
  }

  distinct(): number {
    let exact = (this.booleans[0]! > 0 ? 1 : 0) + (this.booleans[1]! > 0 ? 1 : 0);
    if (this.small) for (let x = 0; x < SMALL_INTS; x++) if (this.small[x]! > 0) exact++;
    if (this.keys !== null) return exact + this.keys.size + this.numbers!.size;
    return exact + Math.max(DISTINCT_CAP + 1, this.hll!.estimate());
  }

  /** Every value with its count, most frequent first (ties by value); empty once truncated. */
  entries(): ValueCount[] {
    if (this.keys === null) return [];
    const out: ValueCount[] = [];
    for (const [key, index] of this.keys) out.push({ value: String(key), count: this.keyCounts![index]! });
    this.numbers!.forEach((key, count) => {
      out.push({ value: String(key), count });
    });
    if (this.small)
      for (let x = 0; x < SMALL_INTS; x++)
        if (this.small[x]! > 0) out.push({ value: String(x), count: this.small[x]! });
    if (this.booleans[0]! > 0) out.push({ value: "false", count: this.booleans[0]! });
    if (this.booleans[1]! > 0) out.push({ value: "true", count: this.booleans[1]! });
    return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  }

  toState(): ValueCounterState {
    return {
      keys: this.keys ? new Map(this.keys) : null,
      keyCounts: this.keyCounts ? this.keyCounts.slice() : null,
      numbers: this.numbers ? this.numbers.toState() : null,
      small: this.small ? this.small.slice() : null,
      booleans: this.booleans.slice(),
      hll: this.hll ? this.hll.registers.slice() : null,
    };
  }

  static fromState(state: ValueCounterState): ValueCounter {
    const counter = new ValueCounter();
    counter.keys = state.keys ? new Map(state.keys) : null;
    counter.keyCounts = state.keyCounts ? state.keyCounts.slice() : null;
    counter.numbers = state.numbers ? NumberCounts.fromState(state.numbers) : null;
    counter.small = state.small ? state.small.slice() : null;
    counter.booleans.set(state.booleans);
    counter.hll = state.hll ? new HyperLogLog(state.hll.slice()) : null;
    return counter;
  }
}

export interface NumberCountsState {
  keys: Float64Array;
  counts: Float64Array;
  used: Uint8Array;
  size: number;
}

/**
 * Counts per number in an open-addressing table on typed arrays. A Map of up to DISTINCT_CAP boxed
 * numbers per column lived on the heap for the whole read: it grew the young generation and cost
 * ~15 MB of peak RSS in bench validate.
 */
class NumberCounts {
  size = 0;

  constructor(
    private keys = new Float64Array(32),
    private counts = new Float64Array(32),
    private used = new Uint8Array(32),
  ) {}

  /** Adds `times` to `key`'s count; a new key only when `room`. Returns whether it was counted. */
  add(key: number, times: number, room: boolean): boolean {
    // As a Map keys them: -0 is 0, and every NaN one key (one bit pattern, so one probe sequence).
    const x = Number.isNaN(key) ? Number.NaN : key + 0;
    const mask = this.keys.length - 1;
    let slot = hashNumber(x) & mask;
    for (;;) {
      if (this.used[slot] === 0) break;
      const k = this.keys[slot]!;
      if (k === x || (Number.isNaN(k) && Number.isNaN(x))) {
        this.counts[slot]! += times;
        return true;
      }
      slot = (slot + 1) & mask;
    }
    if (!room) return false;
    this.keys[slot] = x;
    this.counts[slot] = times;
    this.used[slot] = 1;
    // At most half full, so probes stay short.
    if (++this.size * 2 > this.keys.length) this.grow();
    return true;
  }

  forEach(visit: (key: number, count: number) => void): void {
    for (let slot = 0; slot < this.keys.length; slot++)
      if (this.used[slot] === 1) visit(this.keys[slot]!, this.counts[slot]!);
  }

  private grow(): void {
    const old = { keys: this.keys, counts: this.counts, used: this.used };
    const capacity = this.keys.length * 2;
    this.keys = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
    this.used = new Uint8Array(capacity);
    this.size = 0;
    for (let slot = 0; slot < old.keys.length; slot++)
      if (old.used[slot] === 1) this.add(old.keys[slot]!, old.counts[slot]!, true);
  }

  toState(): NumberCountsState {
    return { keys: this.keys.slice(), counts: this.counts.slice(), used: this.used.slice(), size: this.size };
  }

  static fromState(state: NumberCountsState): NumberCounts {
    const counts = new NumberCounts(state.keys.slice(), state.counts.slice(), state.used.slice());
    counts.size = state.size;
    return counts;
  }
}
