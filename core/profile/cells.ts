/** How profiles and diffs read one cell. Only null and "" are missing. */

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * What `+s` gives for a cell, except that text which is not meant as a number (hex, whitespace alone)
 * gives NaN. Plain decimals up to 15 digits are parsed here: an exact integer over an exact power of ten
 * rounds once, so the result equals Number(s) (Clinger's fast path) without the runtime call.
 */
export function parseNumber(s: string): number {
  const len = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i = 1;
  let mantissa = 0;
  let digits = 0;
  let dot = -1;
  for (; i < len; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && dot < 0) dot = i;
    else if (mayBeNumberSyntax(c)) return parseSlow(s);
    else return Number.NaN;
  }
  if (digits === 0 || digits > 15) return parseSlow(s);
  const value = dot < 0 ? mantissa : mantissa / POW10[len - dot - 1]!;
  return negative ? -value : value;
}

/** Exponents, "Infinity", signs after an exponent, and the whitespace Number() trims. */
function mayBeNumberSyntax(c: number): boolean {
  return (
    c === 101 || c === 69 || c === 73 || c === 43 || c === 45 || c === 32 || (c >= 9 && c <= 13) || c > 127
  );
}

function parseSlow(s: string): number {
  const n = +s;
  if (n - n !== 0) return n;
  return isNumberText(s, n) ? n : Number.NaN;
}

/** What a cell that did not parse as a finite number is. */
export const TextKind = { other: 0, nan: 1, inf: 2, true: 3, false: 4 } as const;
export type TextKind = (typeof TextKind)[keyof typeof TextKind];

/** `n` is `+s` and finite: rejects what Number() accepts but a data file does not mean as a number. */
export function isNumberText(s: string, n: number): boolean {
  const c0 = s.charCodeAt(0);
  if (c0 === 48 && s.length > 2) {
    const c1 = s.charCodeAt(1) | 32;
    // 0x1F, 0b101, 0o17
    if (c1 === 120 || c1 === 98 || c1 === 111) return false;
  }
  if (n !== 0) return true;
  // Number("  ") is 0: whitespace alone is not a zero.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** `n` is parseNumber(s) and not a finite number. */
export function textKind(s: string, n: number): TextKind {
  if (n === Number.POSITIVE_INFINITY || n === Number.NEGATIVE_INFINITY) return TextKind.inf;
  const len = s.length;
  if (len > 9) return TextKind.other;
  const c0 = s.charCodeAt(0);
  const signed = c0 === 43 || c0 === 45; // '+' or '-'
  const start = signed ? 1 : 0;
  if (word(s, start, "nan")) return TextKind.nan;
  if (word(s, start, "inf") || word(s, start, "infinity")) return TextKind.inf;
  if (!signed && word(s, 0, "true")) return TextKind.true;
  if (!signed && word(s, 0, "false")) return TextKind.false;
  return TextKind.other;
}

/** s.slice(start) equals `lower` ignoring ASCII case, without allocating. */
function word(s: string, start: number, lower: string): boolean {
  if (s.length - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((s.charCodeAt(start + i) | 32) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The value a cell stands for, as profiles and diffs compare it: numbers (from text too), booleans
 * (from "true"/"false" in any case), other text as is; undefined when missing.
 */
export function cellKey(
  cell: string | number | boolean | null | undefined,
): number | boolean | string | undefined {
  if (typeof cell === "string") {
    if (cell.length === 0) return undefined;
    const n = parseNumber(cell);
    if (n - n === 0) return n;
    switch (textKind(cell, n)) {
      case TextKind.nan:
        return Number.NaN;
      case TextKind.inf:
        return n === Number.NEGATIVE_INFINITY || cell.charCodeAt(0) === 45
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY;
      case TextKind.true:
        return true;
      case TextKind.false:
        return false;
      default:
        return cell;
    }
  }
  return cell ?? undefined;
}
