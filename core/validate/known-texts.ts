import type { MissingTokens } from "../data/cells.js";
import { H, hashConstant, hashString } from "./hash.js";

/** Per dictionary code of a text column: whether the value passes every check, and its hash. */
export class KnownTexts {
  passes = new Uint8Array(0);
  hashA = new Int32Array(0);
  hashB = new Int32Array(0);
  private values: readonly string[] | undefined;
  private seen = 0;

  constructor(
    private readonly index: Map<string, number> | undefined,
    private readonly regex: RegExp | undefined,
    private readonly minLength: number,
    private readonly maxLength: number,
    private readonly tokens: MissingTokens,
  ) {}

  /** Works out the codes added since the last batch (dictionaries only grow; a new one starts over). */
  update(values: readonly string[]): void {
    if (values !== this.values) {
      this.values = values;
      this.seen = 0;
    }
    const n = values.length;
    if (n === this.seen) return;
    if (this.passes.length < n) {
      const size = Math.max(64, n * 2);
      this.passes = grow(this.passes, new Uint8Array(size));
      this.hashA = grow(this.hashA, new Int32Array(size));
      this.hashB = grow(this.hashB, new Int32Array(size));
    }
    for (let code = this.seen; code < n; code++) {
      const text = values[code]!;
      const k = this.index?.get(text);
      const ok =
        text !== "" &&
        !this.tokens.has(text) &&
        (this.index === undefined || k !== undefined) &&
        (this.regex === undefined || this.regex.test(text)) &&
        text.length >= this.minLength &&
        text.length <= this.maxLength;
      this.passes[code] = ok ? 1 : 0;
      if (k !== undefined) hashConstant(k);
      else hashString(text);
      this.hashA[code] = H[0]!;
      this.hashB[code] = H[1]!;
    }
    this.seen = n;
  }
}

function grow<T extends Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
