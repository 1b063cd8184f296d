import type { Cell } from "../data/types.js";

/**
 * How cells become typed values. Validation, inference and every other consumer that coerces
 * cells should agree on these rules, so they live in one place.
 */

/** Missing: null, the empty CSV cell, or nothing at all. */
export function isMissing(cell: Cell | undefined): cell is null | "" | undefined {
  return cell === null || cell === "" || cell === undefined;
}

/** True when every character is whitespace; `+" "` is 0, so numbers must ask this. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 160 && c !== 0xfeff) return false;
  }
  return true;
}

/** The number a cell holds, or NaN; text like "Infinity" gives a non-finite number. */
export function toNumber(cell: Cell): number {
  if (typeof cell === "number") return cell;
  if (typeof cell !== "string") return Number.NaN;
  return parseNumber(cell);
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * Plain decimals ("-12.5") parsed digit by digit, ~5x faster than V8's `+text`; anything else
 * (exponents, blanks, "Infinity", over 15 digits) falls back to `+text`. With at most 15 digits
 * the mantissa and the power of ten are exact, so one division rounds correctly (Clinger's fast path).
 */
export function parseNumber(text: string): number {
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
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) decimals++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return slowNumber(text);
    }
  }
  if (digits === 0 || digits > 15) return slowNumber(text);
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}

function slowNumber(text: string): number {
  const n = +text;
  return n === 0 && isBlank(text) ? Number.NaN : n;
}

const NON_FINITE = /^\s*[+-]?(nan|inf|infinity)\s*$/i;

/** Why a cell that should be a number is not one ("not a finite number" for NaN/Infinity text). */
export function numberProblem(cell: Cell): string {
  if (typeof cell === "number" || (typeof cell === "string" && NON_FINITE.test(cell)))
    return "not a finite number";
  return "not a number";
}

const BOOLEANS = new Map<string, boolean>([
  ["true", true],
  ["false", false],
  ["yes", true],
  ["no", false],
  ["1", true],
  ["0", false],
]);

/** Text booleans: true/false, yes/no, 1/0 in any case; JSON booleans and 0/1 numbers. */
export function toBoolean(cell: Cell): boolean | undefined {
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "number") return cell === 1 ? true : cell === 0 ? false : undefined;
  if (typeof cell !== "string") return undefined;
  return BOOLEANS.get(cell) ?? BOOLEANS.get(cell.trim().toLowerCase());
}

/** Only words count as booleans when inferring: a 0/1 column is an integer column. */
export function isBooleanWord(text: string): boolean {
  const word = text.trim().toLowerCase();
  return word === "true" || word === "false" || word === "yes" || word === "no";
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Milliseconds since the epoch for an ISO-8601 date or date-time, else NaN. */
export function toDatetime(cell: Cell): number {
  if (typeof cell !== "string") return Number.NaN;
  const match = ISO_DATETIME.exec(cell);
  if (!match) return Number.NaN;
  const year = +match[1]!;
  const month = +match[2]!;
  const day = +match[3]!;
  // Date.parse rolls 2020-02-30 over to March; a schema check must not.
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN;
  return Date.parse(cell.length === 10 ? cell : cell.replace(" ", "T"));
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A cell as text for messages and category look-ups. */
export function cellText(cell: Cell): string {
  return typeof cell === "string" ? cell : String(cell);
}

/** A found value quoted for a message, cut short so one huge cell cannot flood a report. */
export function quote(cell: Cell): string {
  if (typeof cell === "number" || typeof cell === "boolean" || cell === null) return String(cell);
  const text = cell.length > 60 ? `${cell.slice(0, 57)}...` : cell;
  return `'${text}'`;
}
