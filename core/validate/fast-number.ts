import { parseNumber } from "../schema/values.js";

/** Set by `quickNumber`: the last result may be off by a few ulps. */
export const quick = { approximate: false };

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Decimal text to a number, fast. Up to 15 digits the result is exact; up to 22 (what
 * `repr` of a double writes) it may be off by a few ulps and `quick.approximate` is set, so a
 * caller deciding a bound or integrality re-parses exactly. Anything else is parsed exactly.
 */
export function quickNumber(text: string): number {
  quick.approximate = false;
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i = 1;
  }
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
      // Leading zeros add no precision.
      if (mantissa !== 0) digits++;
      if (dot) decimals++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return parseNumber(text);
    }
  }
  if (!sawDigit || digits > 22 || decimals > 22) return parseNumber(text);
  if (digits > 15) quick.approximate = true;
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}
