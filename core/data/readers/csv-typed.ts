import type { ColumnHint } from "../types.js";

/**
 * Typed reading of CSV fields straight from the decoded text, for consumers that asked for it
 * (validate): numbers are parsed while the field is scanned and repeated text is looked up in a
 * per-column dictionary, so neither allocates a string per cell.
 */

export const Kind = { cells: 0, number: 1, integer: 2, text: 3 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * Reads the field at `a`, which ends at the first `dc` char code or at `end`, as plain decimal
 * text: [+-]digits[.digits] with 1 to 15 digits (`dot` false: no point). Returns where the field
 * ends, or -1 for anything else; the value goes to `out[row]` (straight into the batch's typed
 * column: no store and load through a shared object). The value is computed as the validator's and the profile's
 * parsers do (an exact mantissa over an exact power of ten rounds once, Clinger's fast path), so
 * it equals theirs and `+text`.
 */
export function scanDecimal(
  s: string,
  a: number,
  end: number,
  dc: number,
  dot: boolean,
  out: Float64Array,
  row: number,
): number {
  let i = a;
  let negative = false;
  if (i < end) {
    const first = s.charCodeAt(i);
    if (first === 45 || first === 43) {
      negative = first === 45;
      i++;
    }
  }
  const from = i;
  let mantissa = 0;
  // Where the point is, if any: digits and decimals follow from it and the end, not counted per char.
  let point = -1;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    const d = c - 48;
    if (d >= 0 && d <= 9) mantissa = mantissa * 10 + d;
    else if (c === dc) break;
    else if (c === 46 && dot && point < 0) point = i;
    else return -1;
  }
  const digits = point < 0 ? i - from : i - from - 1;
  if (digits === 0 || digits > 15) return -1;
  const decimals = point < 0 ? 0 : i - point - 1;
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  out[row] = negative ? -value : value;
  return i;
}

/** Distinct values a column's dictionary takes; later new values stay plain cells. */
const DICTIONARY_CAP = 1024;
const SLOTS = 4096;
/** New values seen once the dictionary is full, past which the column is free text and no longer coded. */
const GIVE_UP_MISSES = 4 * DICTIONARY_CAP;

/** The distinct texts of one column, found by hash without slicing the field out of the text. */
export class TextDictionary {
  readonly values: string[] = [];
  /** Where the field last scanned ends. */
  end = 0;
  /** Too many distinct values: the reader stops coding this column. */
  gaveUp = false;
  private readonly hashes = new Int32Array(DICTIONARY_CAP);
  /** code + 1 per slot; 0 is empty. */
  private readonly table = new Int32Array(SLOTS);
  private misses = 0;

  /** The code of the field at `a` (ending at the first `dc` or at `end`), or -1 when not in the dictionary and it is full. */
  scan(s: string, a: number, end: number, dc: number): number {
    let h = 0x811c9dc5 | 0;
    let k = a;
    for (; k < end; k++) {
      const c = s.charCodeAt(k);
      if (c === dc) break;
      h = Math.imul(h ^ c, 0x01000193);
    }
    this.end = k;
    const length = k - a;
    h ^= length;
    const values = this.values;
    let slot = (h ^ (h >>> 15)) & (SLOTS - 1);
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      const code = entry - 1;
      if (this.hashes[code] === h && same(values[code]!, s, a, length)) return code;
      slot = (slot + 1) & (SLOTS - 1);
    }
    if (values.length === DICTIONARY_CAP) {
      if (++this.misses > GIVE_UP_MISSES) this.gaveUp = true;
      return -1;
    }
    const code = values.length;
    values.push(own(s.slice(a, k)));
    this.hashes[code] = h;
    this.table[slot] = code + 1;
    return code;
  }
}

function same(value: string, s: string, a: number, length: number): boolean {
  if (value.length !== length) return false;
  for (let i = 0; i < length; i++) if (value.charCodeAt(i) !== s.charCodeAt(a + i)) return false;
  return true;
}

/** A copy that does not keep the (1 MiB) chunk it was sliced from alive, as a sliced string would. */
function own(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, "utf16le").toString("utf16le");
}

/** Kinds per column, or undefined when typed reading does not apply (no hints, or a delimiter a number may contain). */
export function columnKinds(
  hints: readonly ColumnHint[] | undefined,
  ncol: number,
  delimiter: string,
): Kind[] | undefined {
  if (!hints || ncol < 2 || /[0-9.+-]/.test(delimiter)) return undefined;
  const kinds = Array.from({ length: ncol }, (_, c) => {
    const hint = hints[c];
    return hint === undefined ? Kind.cells : Kind[hint];
  });
  return kinds.some((kind) => kind !== Kind.cells) ? kinds : undefined;
}

/** The typed arrays of one batch, full size (CsvParser lends them out and recycles them). */
export interface Arrays {
  numbers: (Float64Array | undefined)[];
  codes: (Int32Array | undefined)[];
  lines: Int32Array;
}
