import { DEFAULT_TOKENS, type MissingTokens } from "../data/cells.js";
import type { Cell, TextCodes } from "../data/types.js";
import { parseNumber, TextKind, textKind } from "./cells.js";
import { CodeKind, KnownCodes } from "./codes.js";
import { NumericGrid } from "./grid.js";
import { HLL_RELATIVE_ERROR } from "./hll.js";
import type { ColumnKind, ColumnProfile } from "./schema.js";
import { QuantileSketch } from "./sketch.js";
import { ValueCounter, type ValueCounterState } from "./values.js";

/** Values listed for numeric and text columns (categorical and boolean ones list all). */
export const TOP_VALUES = 20;
/** Share of non-missing cells that must agree for a column to be numeric or boolean: a stray typo does not flip it. */
export const KIND_AGREEMENT = 0.99;

/** Plain data that structured clone copies (worker threads), see ColumnAccumulator.toState. */
export interface ColumnState {
  counters: Float64Array;
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

// Slots of the counter array; one array keeps toState/merge short.
const COUNT = 0;
const MISSING = 1;
const NUMBERS = 2;
const NAN = 3;
const INF = 4;
const BOOLEANS = 5;
const STRINGS = 6;
const MEAN = 7;
const M2 = 8;
const NON_INTEGER = 9;
const MIN_LEN = 10;
const MAX_LEN = 11;
const LEN_SUM = 12;
const SLOTS = 13;

export class ColumnAccumulator {
  private counters = new Float64Array(SLOTS);
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
   * Counts the first `size` cells; `scratch` holds at least `size` numbers and is overwritten.
   * `numbers` and `text` are the batch's typed views of the column, when the reader made them.
   */
  add(cells: Cell[], size: number, scratch: Float64Array, numbers?: Float64Array, text?: TextCodes): void {
    let missing = 0;
    let nan = 0;
    let inf = 0;
    let trues = 0;
    let falses = 0;
    let strings = 0;
    const values = this.values;
    let minLen = this.counters[MIN_LEN]!;
    let maxLen = this.counters[MAX_LEN]!;
    let lenSum = 0;
    let k = 0;
    const known = text !== undefined ? this.known.update(text.values) : undefined;
    for (let r = 0; r < size; r++) {
      let cell: Cell | undefined;
      if (numbers !== undefined) {
        // NaN marks a cell the reader left as text.
        const n = numbers[r]!;
        if (!Number.isNaN(n)) {
          scratch[k++] = n;
          continue;
        }
        cell = cells[r];
      } else if (known !== undefined && text!.codes[r]! >= 0) {
        const code = text!.codes[r]!;
        const kind = known.kinds[code];
        if (kind === CodeKind.text) {
          known.counts[code]!++;
          continue;
        }
        if (kind === CodeKind.number) {
          scratch[k++] = known.numbers[code]!;
          continue;
        }
        cell = text!.values[code];
      } else cell = cells[r];
      if (typeof cell === "string") {
        if (cell.length === 0 || this.tokens.has(cell)) {
          missing++;
          continue;
        }
        const n = parseNumber(cell);
        if (n - n === 0) {
          scratch[k++] = n;
          continue;
        }
        const kind = textKind(cell, n);
        if (kind === TextKind.other) {
          strings++;
          const len = cell.length;
          lenSum += len;
          if (len < minLen) minLen = len;
          if (len > maxLen) maxLen = len;
          values.count(cell);
        } else if (kind === TextKind.nan) {
          nan++;
          values.count(Number.NaN);
        } else if (kind === TextKind.inf) {
          inf++;
          values.count(n === Number.NEGATIVE_INFINITY || cell.charCodeAt(0) === 45 ? -Infinity : Infinity);
        } else if (kind === TextKind.true) trues++;
        else falses++;
      } else if (typeof cell === "number") {
        if (cell - cell === 0) {
          scratch[k++] = cell;
          continue;
        }
        if (Number.isNaN(cell)) nan++;
        else inf++;
        values.count(cell);
      } else if (cell === true) trues++;
      else if (cell === false) falses++;
      else missing++;
    }
    if (known !== undefined) {
      // Text from the dictionary, counted per code above: folded in once per distinct value.
      const counts = known.counts;
      for (let code = 0; code < counts.length; code++) {
        const times = counts[code]!;
        if (times === 0) continue;
        counts[code] = 0;
        const len = text!.values[code]!.length;
        strings += times;
        lenSum += len * times;
        if (len < minLen) minLen = len;
        if (len > maxLen) maxLen = len;
        values.count(text!.values[code]!, times);
      }
    }
    const c = this.counters;
    c[COUNT]! += size;
    c[MISSING]! += missing;
    c[NAN]! += nan;
    c[INF]! += inf;
    c[BOOLEANS]! += trues + falses;
    values.booleans[0]! += falses;
    values.booleans[1]! += trues;
    c[STRINGS]! += strings;
    c[MIN_LEN] = minLen;
    c[MAX_LEN] = maxLen;
    c[LEN_SUM]! += lenSum;
    if (k > 0) this.addNumbers(scratch, k);
  }

  /** Mean and M2 of the batch in two passes, joined to the running ones with Chan et al.'s formulas. */
  private addNumbers(values: Float64Array, k: number): void {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += values[i]!;
    const mean = sum / k;
    let m2 = 0;
    let nonInteger = 0;
    for (let i = 0; i < k; i++) {
      const x = values[i]!;
      const d = x - mean;
      m2 += d * d;
      if (Math.floor(x) !== x) nonInteger++;
    }
    this.counters[NON_INTEGER]! += nonInteger;
    this.joinMoments(k, mean, m2);
    this.sketch.addMany(values, k);
    // The sketch's running min and max now cover this batch: all the grid needs to fit it.
    this.grid.addMany(values, k, this.sketch.min, this.sketch.max);
    this.values.countNumbers(values, k);
  }

  private joinMoments(nb: number, meanB: number, m2B: number): void {
    const c = this.counters;
    const na = c[NUMBERS]!;
    const n = na + nb;
    const delta = meanB - c[MEAN]!;
    c[MEAN]! += (delta * nb) / n;
    c[M2]! += m2B + (delta * delta * na * nb) / n;
    c[NUMBERS] = n;
  }

  merge(other: ColumnAccumulator): void {
    const a = this.counters;
    const b = other.counters;
    if (b[NUMBERS]! > 0) this.joinMoments(b[NUMBERS]!, b[MEAN]!, b[M2]!);
    for (const slot of [COUNT, MISSING, NAN, INF, BOOLEANS, STRINGS, NON_INTEGER, LEN_SUM])
      a[slot]! += b[slot]!;
    a[MIN_LEN] = Math.min(a[MIN_LEN]!, b[MIN_LEN]!);
    a[MAX_LEN] = Math.max(a[MAX_LEN]!, b[MAX_LEN]!);
    this.sketch.merge(other.sketch);
    this.grid.merge(other.grid);
    this.values.merge(other.values);
  }

  toState(): ColumnState {
    const s = this.sketch;
    return {
      counters: this.counters.slice(),
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
          mean: c[MEAN]!,
          std: numbers > 1 ? Math.sqrt(Math.max(0, c[M2]!) / (numbers - 1)) : 0,
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

/** Decided from counters only, so it is the same however the rows were split and merged. */
function inferKind(c: Float64Array, distinct: number, truncated: boolean): ColumnKind {
  const present = c[COUNT]! - c[MISSING]!;
  if (present === 0) return "empty";
  if (c[BOOLEANS]! >= KIND_AGREEMENT * present) return "boolean";
  if (c[NUMBERS]! + c[NAN]! + c[INF]! >= KIND_AGREEMENT * present && c[NUMBERS]! > 0) return "numeric";
  const meanLength = c[STRINGS]! > 0 ? c[LEN_SUM]! / c[STRINGS]! : 0;
  // Mostly-unique or long values are free text (ids, comments), not categories.
  if (truncated || meanLength > 100 || (distinct > 20 && distinct > present / 2)) return "text";
  return "categorical";
}
