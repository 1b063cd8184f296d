import type { ColumnKind } from "./schema.js";

/** Share of non-missing cells that must agree for a column to be numeric or boolean: a stray typo does not flip it. */
export const KIND_AGREEMENT = 0.99;

// Slots of the counter array; one array keeps toState/merge short. Counts only, so exact in any order.
export const COUNT = 0;
export const MISSING = 1;
export const NUMBERS = 2;
export const NAN = 3;
export const INF = 4;
export const BOOLEANS = 5;
export const STRINGS = 6;
export const NON_INTEGER = 7;
export const MIN_LEN = 8;
export const MAX_LEN = 9;
export const LEN_SUM = 10;
export const SLOTS = 11;
/** Slots merged by addition. */
export const SUMMED = [COUNT, MISSING, NUMBERS, NAN, INF, BOOLEANS, STRINGS, NON_INTEGER, LEN_SUM];

/** Decided from counters only, so it is the same however the rows were split and merged. */
export function inferKind(c: Float64Array, distinct: number, truncated: boolean): ColumnKind {
  const present = c[COUNT]! - c[MISSING]!;
  if (present === 0) return "empty";
  if (c[BOOLEANS]! >= KIND_AGREEMENT * present) return "boolean";
  if (c[NUMBERS]! + c[NAN]! + c[INF]! >= KIND_AGREEMENT * present && c[NUMBERS]! > 0) return "numeric";
  const meanLength = c[STRINGS]! > 0 ? c[LEN_SUM]! / c[STRINGS]! : 0;
  // Mostly-unique or long values are free text (ids, comments), not categories.
  if (truncated || meanLength > 100 || (distinct > 20 && distinct > present / 2)) return "text";
  return "categorical";
}
