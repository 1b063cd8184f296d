import { DEFAULT_TOKENS, type MissingTokens, parseDecimal } from "../data/cells.js";

/** How profiles, diffs and drift read one cell: the cell grammar of core/data/cells.ts. */

/** The grammar's number (`parseDecimal`), under the name drift and diff import. */
export const parseNumber = parseDecimal;

/** What a cell that did not parse as a finite number is. */
export const TextKind = { other: 0, nan: 1, inf: 2, true: 3, false: 4 } as const;
export type TextKind = (typeof TextKind)[keyof typeof TextKind];

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
  tokens: MissingTokens = DEFAULT_TOKENS,
): number | boolean | string | undefined {
  if (typeof cell === "string") {
    if (cell.length === 0 || tokens.has(cell)) return undefined;
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
