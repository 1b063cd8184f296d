import { cellKind, finiteNumber, Kind, type MissingTokens, parseDatetime } from "../data/cells.js";
import type { Cell } from "../data/types.js";

/**
 * What each column is to training. Dates become features of their own (year, month, day of week,
 * hour); ID-like and constant columns would only let the model memorise rows, so they are left out,
 * each with a warning. Recorded in modelgate.json (preprocessor.roles).
 */
export type Role =
  | "feature"
  | "datetime"
  | "target"
  | "id"
  | "id-like"
  | "constant"
  | "date-excluded"
  | "not-listed";

export interface ColumnRole {
  name: string;
  role: Role;
  /** Why a column is not a feature. */
  reason?: string;
}

export interface RoleOptions {
  target: string;
  id?: string;
  /** Listed by the user (`data.features`): kept whatever they look like, dates still expanded. */
  features?: string[];
  dates: "expand" | "exclude";
  tokens: MissingTokens;
}

/** A text column with more distinct values than this share of its rows (and than MIN_ID_DISTINCT) is ID-like. */
export const ID_SHARE = 0.5;
const MIN_ID_DISTINCT = 100;

export function assignRoles(columns: string[], data: Cell[][], options: RoleOptions): ColumnRole[] {
  return columns.map((name, c): ColumnRole => {
    if (name === options.target) return { name, role: "target" };
    if (name === options.id) return { name, role: "id" };
    const listed = options.features?.includes(name);
    if (options.features && !listed) return { name, role: "not-listed" };
    const facts = columnFacts(data[c] ?? [], options.tokens);
    if (facts.dates) {
      if (options.dates === "exclude")
        return { name, role: "date-excluded", reason: "a date column (data.dates: exclude)" };
      return { name, role: "datetime" };
    }
    if (listed) return { name, role: "feature" };
    if (facts.distinct <= 1)
      return {
        name,
        role: "constant",
        reason: facts.distinct === 0 ? "every value is missing" : "one value in every row",
      };
    if (facts.sequence)
      return { name, role: "id-like", reason: "an integer sequence (every value distinct, no gaps)" };
    if (facts.text && facts.distinct > MIN_ID_DISTINCT && facts.distinct > ID_SHARE * facts.present)
      return {
        name,
        role: "id-like",
        reason: `near-unique text (${facts.distinct} distinct values in ${facts.present} rows)`,
      };
    return { name, role: "feature" };
  });
}

interface Facts {
  present: number;
  distinct: number;
  /** Every present cell is a date (and the column is not numbers). */
  dates: boolean;
  /** Some present cell is text (not a number, boolean or date). */
  text: boolean;
  /** Distinct integers filling [min, max] exactly, more than MIN_ID_DISTINCT of them. */
  sequence: boolean;
}

function columnFacts(cells: Cell[], tokens: MissingTokens): Facts {
  const seen = new Set<string | number | boolean>();
  let present = 0;
  let dates = true;
  let text = false;
  let integers = true;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const cell of cells) {
    const kind = cellKind(cell, tokens);
    if (kind === Kind.missing) continue;
    present++;
    if (kind !== Kind.datetime) dates = false;
    if (kind === Kind.text) text = true;
    if (kind === Kind.number) {
      const n = finiteNumber(cell, tokens);
      if (!Number.isInteger(n)) integers = false;
      if (n < min) min = n;
      if (n > max) max = n;
      seen.add(n);
    } else {
      integers = false;
      seen.add(typeof cell === "string" ? cell.trim() : (cell as number | boolean));
    }
  }
  const distinct = seen.size;
  const sequence =
    integers && present > MIN_ID_DISTINCT && distinct === present && max - min + 1 === distinct;
  return { present, distinct, dates: dates && present > 0, text, sequence };
}

/** The date parts a datetime feature holds, in encoded order. */
export const DATE_PARTS = ["year", "month", "dayOfWeek", "hour"] as const;
export type DatePart = (typeof DATE_PARTS)[number];

/** Milliseconds a date cell stands for, or NaN (missing or not a date). */
export function dateValue(cell: Cell | undefined, tokens: MissingTokens): number {
  if (cell === null || cell === undefined || (typeof cell === "string" && tokens.has(cell)))
    return Number.NaN;
  return parseDatetime(cell);
}

/** Warnings for the columns left out, one line each. */
export function roleWarnings(roles: ColumnRole[]): string[] {
  return roles
    .filter((r) => r.reason !== undefined)
    .map((r) => `column '${r.name}' is left out of the features: ${r.reason}`);
}
