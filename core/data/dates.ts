import { parseDecimal } from "./decimal.js";

/** The date grammar of the cell grammar (core/data/cells.ts re-exports it). */

// Dates and times, all read as UTC: ISO 8601 (date, `T` or space, seconds and fraction and zone
// optional), `YYYY/MM/DD[ HH:MM[:SS]]`, `MM/DD/YYYY[ HH:MM[:SS]]`; epoch seconds or milliseconds
// only where a column declares its unit.

export type EpochUnit = "s" | "ms";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const SLASH_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const SLASH_MDY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** Milliseconds since the epoch (UTC) a cell stands for, or NaN. */
export function parseDatetime(cell: unknown, unit?: EpochUnit): number {
  if (unit !== undefined) {
    const n = typeof cell === "number" ? cell : typeof cell === "string" ? parseDecimal(cell) : Number.NaN;
    if (n - n === 0) return unit === "s" ? n * 1000 : n;
  }
  if (typeof cell !== "string") return Number.NaN;
  const length = cell.length;
  // Every form starts with a digit and is 8 to 35 characters long: most text is ruled out here.
  if (length < 8 || length > 35) return Number.NaN;
  const c0 = cell.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return Number.NaN;
  let m = ISO.exec(cell);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, m[4], m[5], m[6], m[7], m[8]);
  m = SLASH_YMD.exec(cell);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, m[4], m[5], m[6]);
  m = SLASH_MDY.exec(cell);
  if (m) return utc(+m[3]!, +m[1]!, +m[2]!, m[4], m[5], m[6]);
  return Number.NaN;
}

function utc(
  year: number,
  month: number,
  day: number,
  hour?: string,
  minute?: string,
  second?: string,
  fraction?: string,
  zone?: string,
): number {
  // Date.UTC rolls 2020-02-30 over to March; the grammar must not.
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN;
  const h = hour === undefined ? 0 : +hour;
  const min = minute === undefined ? 0 : +minute;
  const s = second === undefined ? 0 : +second;
  if (h > 23 || min > 59 || s > 60) return Number.NaN;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
  let value = Date.UTC(year, month - 1, day, h, min, s, ms);
  if (zone !== undefined && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offset = +digits.slice(0, 2) * 60 + (digits.length > 2 ? +digits.slice(2) : 0);
    value -= sign * offset * 60_000;
  }
  return value;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The features a date becomes (UTC): year, month 1-12, day of week 0-6 (Sunday 0), hour 0-23. */
export function datetimeParts(ms: number): { year: number; month: number; dayOfWeek: number; hour: number } {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    dayOfWeek: date.getUTCDay(),
    hour: date.getUTCHours(),
  };
}
