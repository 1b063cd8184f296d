import { DEFAULT_TOKENS, type MissingTokens } from "../data/cells.js";
import type { Cell, TextCodes } from "../data/types.js";
import { parseNumber, TextKind, textKind } from "./cells.js";
import { CodeKind, KnownCodes } from "./codes.js";
import {
  BOOLEANS,
  COUNT,
  INF,
  inferKind,
  LEN_SUM,
  MAX_LEN,
  MIN_LEN,
  MISSING,
  NAN,
  NON_INTEGER,
  NUMBERS,
  SLOTS,
  STRINGS,
  SUMMED,
} from "./counters.js";
import { NumericGrid } from "./grid.js";
import { HLL_RELATIVE_ERROR } from "./hll.js";
import { Moments, type MomentsState } from "./moments.js";
import type { ColumnProfile } from "./schema.js";
import { QuantileSketch } from "./sketch.js";
import { ValueCounter, type ValueCounterState } from "./values.js";

export { KIND_AGREEMENT } from "./counters.js";

/** Values listed for numeric and text columns (categorical and boolean ones list all). */
export const TOP_VALUES = 20;

/** Plain data that structured clone copies (worker threads), see ColumnAccumulator.toState. */
export interface ColumnState {
  counters: Float64Array;
  moments: MomentsState;
  sketch: {
    zero: number;
    count: number;
    min: number;
    max: number;
    positive: [number, Float64Array];
    negative: [number, Float64Array];
  };
  grid: { exponent: number | undefined; offset: number; counts: Float64Array };
  values: ValueCounterState;
}

export class ColumnAccumulator {
  private counters = new Float64Array(SLOTS);
  private moments = new Moments();
  private sketch = new QuantileSketch();
  private grid = new NumericGrid();
  private values = new ValueCounter();
  /** What each code of the reader's text dictionary is; not part of the state. */
  private readonly known: KnownCodes;

  /** `tokens`: what reads as missing (`data.missing`). */
  constructor(private readonly tokens: MissingTokens = DEFAULT_TOKENS) {
    this.known = new KnownCodes(tokens);
    this.counters[MIN_LEN] = Number.POSITIVE_INFINITY;
  }

  /**
   * Counts the first `size` cells of a batch whose first row is on line `key`; `scratch` holds at
   * least `size` numbers and is overwritten. `numbers` and `text` are the batch's typed views of the
   * column, when the reader made them.
   */
  add(
    cells: Cell[],
    size: number,
    scratch: Float64Array,
    key: number,
    numbers?: Float64Array,
    text?: TextCodes,
  ): void {
    this.counters[COUNT]! += size;
    const sentinels = this.tokens.numbers;
    if (numbers !== undefined && size > 0 && sentinels.size === 0) {
      // A typed column whose cells all parsed (no NaN, so a NaN sum): counted in place, no copy.
      let sum = 0;
      for (let r = 0; r < size; r++) sum += numbers[r]!;
      if (!Number.isNaN(sum)) {
        this.addNumbers(numbers, size, key, sum);
        return;
      }
    }
    const known = text !== undefined ? this.known.update(text.values) : undefined;
    let k = 0;
    for (let r = 0; r < size; r++) {
      if (numbers !== undefined) {
        // NaN marks a cell the reader left as text.
        const n = numbers[r]!;
        if (Number.isNaN(n)) k = this.countCell(cells[r], scratch, k);
        else if (sentinels.size > 0 && sentinels.has(n)) this.counters[MISSING]!++;
        else scratch[k++] = n;
        continue;
      }
      const code = known !== undefined ? text!.codes[r]! : -1;
      if (code < 0) {
        k = this.countCell(cells[r], scratch, k);
        continue;
      }
      const kind = known!.kinds[code];
      if (kind === CodeKind.text) known!.counts[code]!++;
      else if (kind === CodeKind.number) scratch[k++] = known!.numbers[code]!;
      else k = this.countCell(text!.values[code], scratch, k);
    }
    if (known !== undefined) this.foldCodes(known, text!.values);
    if (k > 0) this.addNumbers(scratch, k, key);
  }

  /** One cell that is not a typed number: a finite number goes to `scratch[k]`; returns the new `k`. */
  private countCell(cell: Cell | undefined, scratch: Float64Array, k: number): number {
    const c = this.counters;
    if (typeof cell === "string") {
      if (cell.length === 0 || this.tokens.has(cell)) {
        c[MISSING]!++;
        return k;
      }
      const n = parseNumber(cell);
      if (n - n === 0) {
        scratch[k] = n;
        return k + 1;
      }
      this.countText(cell, n);
    } else if (typeof cell === "number" && this.tokens.numbers.has(cell)) c[MISSING]!++;
    else if (typeof cell === "number") {
      if (cell - cell === 0) {
        scratch[k] = cell;
        return k + 1;
      }
      c[Number.isNaN(cell) ? NAN : INF]!++;
      this.values.count(cell);
    } else if (typeof cell === "boolean") {
      c[BOOLEANS]!++;
      this.values.booleans[cell ? 1 : 0]!++;
    } else c[MISSING]!++;
    return k;
  }

  /** A text cell that is not a finite number (`n` is its parse): words for NaN, infinity, booleans; else text. */
  private countText(cell: string, n: number): void {
    const c = this.counters;
    const kind = textKind(cell, n);
    if (kind === TextKind.other) this.addStrings(cell, 1);
    else if (kind === TextKind.nan) {
      c[NAN]!++;
      this.values.count(Number.NaN);
    } else if (kind === TextKind.inf) {
      c[INF]!++;
      this.values.count(n === Number.NEGATIVE_INFINITY || cell.charCodeAt(0) === 45 ? -Infinity : Infinity);
    } else {
      c[BOOLEANS]!++;
      this.values.booleans[kind === TextKind.true ? 1 : 0]!++;
    }
  }

  private addStrings(value: string, times: number): void {
    const c = this.counters;
    const len = value.length;
    c[STRINGS]! += times;
    c[LEN_SUM]! += len * times;
    if (len < c[MIN_LEN]!) c[MIN_LEN] = len;
    if (len > c[MAX_LEN]!) c[MAX_LEN] = len;
    this.values.count(value, times);
  }

  /** Text from the reader's dictionary, counted per code by `add`: folded in once per distinct value. */
  private foldCodes(known: KnownCodes, values: readonly string[]): void {
    const counts = known.counts;
    for (let code = 0; code < counts.length; code++) {
      const times = counts[code]!;
      if (times === 0) continue;
      counts[code] = 0;
      this.addStrings(values[code]!, times);
    }
  }

  /** The first `k` values, all finite; `sum` is theirs when the caller has it. */
  private addNumbers(values: Float64Array, k: number, key: number, sum?: number): void {
    let total = 0;
    if (sum !== undefined) total = sum;
    else for (let i = 0; i < k; i++) total += values[i]!;
    const mean = total / k;
    let m2 = 0;
    let nonInteger = 0;
    for (let i = 0; i < k; i++) {
      const x = values[i]!;
      const d = x - mean;
      m2 += d * d;
      if (Math.floor(x) !== x) nonInteger++;
    }
    this.counters[NUMBERS]! += k;
    this.counters[NON_INTEGER]! += nonInteger;
    this.moments.addBatch(key, k, mean, m2);
    this.sketch.addMany(values, k);
    // The sketch's running min and max now cover this batch: all the grid needs to fit it.
    this.grid.addMany(values, k, this.sketch.min, this.sketch.max);
    this.values.countNumbers(values, k);
  }

  /** Joins the batches' moments held so far (see Moments); before finish, and when a source is done. */
  settle(): void {
    this.moments.settle();
  }

  merge(other: ColumnAccumulator): void {
    const a = this.counters;
    const b = other.counters;
    for (const slot of SUMMED) a[slot]! += b[slot]!;
    a[MIN_LEN] = Math.min(a[MIN_LEN]!, b[MIN_LEN]!);
    a[MAX_LEN] = Math.max(a[MAX_LEN]!, b[MAX_LEN]!);
    this.moments.merge(other.moments);
    this.sketch.merge(other.sketch);
    this.grid.merge(other.grid);
    this.values.merge(other.values);
  }

  toState(): ColumnState {
    const s = this.sketch;
    return {
      counters: this.counters.slice(),
      moments: this.moments.toState(),
      sketch: {
        zero: s.zero,
        count: s.count,
        min: s.min,
        max: s.max,
        positive: [s.positive.offset, s.positive.counts.slice()],
        negative: [s.negative.offset, s.negative.counts.slice()],
      },
      grid: { exponent: this.grid.exponent, offset: this.grid.offset, counts: this.grid.counts.slice() },
      values: this.values.toState(),
    };
  }

  static fromState(state: ColumnState): ColumnAccumulator {
    const acc = new ColumnAccumulator();
    acc.counters = state.counters.slice();
    acc.moments = Moments.fromState(state.moments);
    const s = acc.sketch;
    Object.assign(s, {
      zero: state.sketch.zero,
      count: state.sketch.count,
      min: state.sketch.min,
      max: state.sketch.max,
    });
    [s.positive.offset, s.positive.counts] = [state.sketch.positive[0], state.sketch.positive[1].slice()];
    [s.negative.offset, s.negative.counts] = [state.sketch.negative[0], state.sketch.negative[1].slice()];
    Object.assign(acc.grid, {
      exponent: state.grid.exponent,
      offset: state.grid.offset,
      counts: state.grid.counts.slice(),
      min: state.sketch.min,
      max: state.sketch.max,
    });
    acc.values = ValueCounter.fromState(state.values);
    return acc;
  }

  finish(): ColumnProfile {
    this.moments.settle();
    const c = this.counters;
    const truncated = this.values.truncated;
    const distinct = this.values.distinct();
    const kind = inferKind(c, distinct, truncated);
    const all = this.values.entries();
    const top = kind === "categorical" || kind === "boolean" ? all : all.slice(0, TOP_VALUES);
    const numbers = c[NUMBERS]!;
    const grid = this.grid.toData();
    return {
      kind,
      count: c[COUNT]!,
      missing: c[MISSING]!,
      numbers,
      nan: c[NAN]!,
      inf: c[INF]!,
      booleans: c[BOOLEANS]!,
      strings: c[STRINGS]!,
      distinct: { value: distinct, exact: !truncated, relativeError: truncated ? HLL_RELATIVE_ERROR : 0 },
      values: { top, complete: !truncated && top.length === distinct, truncated },
      ...(numbers > 0 && {
        numeric: {
          // + 0 turns -0 into 0, which one pass and a merge would otherwise disagree on.
          min: this.sketch.min + 0,
          max: this.sketch.max + 0,
          mean: this.moments.mean,
          std: numbers > 1 ? Math.sqrt(Math.max(0, this.moments.m2) / (numbers - 1)) : 0,
          integer: c[NON_INTEGER] === 0,
          sketch: this.sketch.toData(),
          ...(grid ? { grid } : {}),
        },
      }),
      ...(c[STRINGS]! > 0 && {
        text: { minLength: c[MIN_LEN]!, maxLength: c[MAX_LEN]!, meanLength: c[LEN_SUM]! / c[STRINGS]! },
      }),
    };
  }
}
