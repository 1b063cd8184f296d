/** The decimal grammar of the cell grammar (core/data/cells.ts re-exports it). */

// Numbers. The grammar: optional blanks, a sign, digits with at most one point (at least one
// digit), an optional exponent, optional blanks. `inf`/`infinity` (any case, signed) is a
// non-finite number. Hex, binary, `1_000`, blanks alone are not numbers.

const DECIMAL = /^[ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$/;
const INFINITE = /^[ \t]*([+-]?)(?:inf|infinity)[ \t]*$/i;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** The exact grammar (slow): the number a text means, ±Infinity for inf words, NaN otherwise. */
export function exactDecimal(text: string): number {
  if (DECIMAL.test(text)) return Number(text.trim());
  const inf = INFINITE.exec(text);
  if (inf) return inf[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number.NaN;
}

/**
 * The fast path: `[+-]digits[.digits]` with at most 15 significant digits, where an exact integer
 * over an exact power of ten rounds once (Clinger), so the result equals `exactDecimal`. Returns
 * undefined when the text is not of that shape.
 */
export function fastDecimal(text: string): number | undefined {
  const length = text.length;
  let i = 0;
  const first = text.charCodeAt(0);
  const negative = first === 45;
  if (negative || first === 43) i = 1;
  let mantissa = 0;
  let digits = 0;
  let sawDigit = false;
  let decimals = 0;
  let dot = false;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      sawDigit = true;
      // Leading zeros add no precision.
      if (mantissa !== 0) digits++;
      if (dot) decimals++;
    } else if (c === 46 && !dot) dot = true;
    else return undefined;
  }
  if (!sawDigit || digits > 15 || decimals > 22) return undefined;
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}

/** Text to a number by the grammar: finite, ±Infinity (inf words), or NaN when not a number. */
export function parseDecimal(text: string): number {
  const fast = fastDecimal(text);
  if (fast !== undefined) return fast;
  // Most text starts with a letter no number can start with: no regex for it.
  const c = text.charCodeAt(0) | 32;
  if (c >= 97 && c <= 122 && c !== 101 && c !== 105) return Number.NaN;
  return exactDecimal(text);
}

/** Set by `quickDecimal`: the last result may be off by a few ulps. */
export const quick = { approximate: false };

/**
 * `parseDecimal`, faster for long decimals: up to 22 digits (what `repr` of a double writes) the
 * result may be off by a few ulps and `quick.approximate` is set, so a caller deciding a bound or
 * integrality re-parses with `parseDecimal`.
 */
export function quickDecimal(text: string): number {
  quick.approximate = false;
  const length = text.length;
  let i = 0;
  const first = text.charCodeAt(0);
  const negative = first === 45;
  if (negative || first === 43) i = 1;
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let dot = false;
  let sawDigit = false;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      sawDigit = true;
      if (mantissa !== 0) digits++;
      if (dot) decimals++;
    } else if (c === 46 && !dot) dot = true;
    else return exactDecimal(text);
  }
  if (!sawDigit || digits > 22 || decimals > 22) return exactDecimal(text);
  // Up to 15 digits this is fastDecimal's exact result; beyond, a few ulps off at most.
  if (digits > 15) quick.approximate = true;
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}
