import type { MissingTokens } from "../data/cells.js";
import { parseNumber, TextKind, textKind } from "./cells.js";

/** What a dictionary value is to a profile: text, a finite number, or something the per-cell path decides. */
export const CodeKind = { other: 0, text: 1, number: 2 } as const;
export type CodeKind = (typeof CodeKind)[keyof typeof CodeKind];

/**
 * Per code of a reader's text dictionary (see TextCodes): what the value is, classified once per
 * distinct value instead of once per cell, and a per-batch count of the text ones.
 */
export class KnownCodes {
  kinds = new Uint8Array(0);
  numbers = new Float64Array(0);
  counts = new Float64Array(0);
  private values: readonly string[] | undefined;
  private seen = 0;

  constructor(private readonly tokens: MissingTokens) {}

  /** Classifies the codes added since the last batch (dictionaries only grow; a new one starts over). */
  update(values: readonly string[]): this {
    if (values !== this.values) {
      this.values = values;
      this.seen = 0;
      this.counts.fill(0);
    }
    const n = values.length;
    if (n === this.seen) return this;
    if (this.kinds.length < n) {
      const size = Math.max(64, n * 2);
      const kinds = new Uint8Array(size);
      kinds.set(this.kinds);
      const numbers = new Float64Array(size);
      numbers.set(this.numbers);
      const counts = new Float64Array(size);
      counts.set(this.counts);
      [this.kinds, this.numbers, this.counts] = [kinds, numbers, counts];
    }
    for (let code = this.seen; code < n; code++) {
      const cell = values[code]!;
      const x = cell.length === 0 || this.tokens.has(cell) ? Number.NaN : parseNumber(cell);
      if (x - x === 0) {
        this.kinds[code] = CodeKind.number;
        this.numbers[code] = x;
      } else if (cell.length > 0 && !this.tokens.has(cell) && textKind(cell, x) === TextKind.other)
        this.kinds[code] = CodeKind.text;
      else this.kinds[code] = CodeKind.other;
    }
    this.seen = n;
    return this;
  }
}
