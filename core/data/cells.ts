import { datetimeParts, type EpochUnit, parseDatetime } from "./dates.js";
import { exactDecimal, fastDecimal, parseDecimal, quick, quickDecimal } from "./decimal.js";
import type { Cell } from "./types.js";

export {
  datetimeParts,
  type EpochUnit,
  exactDecimal,
  fastDecimal,
  parseDatetime,
  parseDecimal,
  quick,
  quickDecimal,
};

/**
 * The one cell grammar: what a missing value, a number, a boolean and a date are, for every
 * command (validate, profile, schema infer, diff, drift, training, evaluation, serving).
 */

/** pandas' default `na_values` (read_csv): what users' other tools already read as missing. */
export const DEFAULT_MISSING: readonly string[] = [
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
];

/** A set of missing-value texts, matched exactly (no trimming, case as listed). */
export class MissingTokens {
  readonly list: readonly string[];
  /** The tokens that read as finite numbers (`-999`): a number cell equal to one is missing too. */
  readonly numbers: ReadonlySet<number>;
  readonly #set: Set<string>;
  readonly #longest: number;
  /** Bit c set when some token starts with char code c (c < 128): most cells are ruled out by one look. */
  readonly #starts = new Uint32Array(4);
  readonly #nonAsciiStart: boolean;

  constructor(list: readonly string[]) {
    this.list = [...list];
    this.numbers = new Set(list.map((t) => parseDecimal(t)).filter((n) => n - n === 0));
    this.#set = new Set(list);
    this.#longest = Math.max(0, ...list.map((t) => t.length));
    let nonAscii = false;
    for (const token of list) {
      const c = token.charCodeAt(0);
      if (token.length === 0) continue;
      if (c < 128) this.#starts[c >> 5]! |= 1 << (c & 31);
      else nonAscii = true;
    }
    this.#nonAsciiStart = nonAscii;
  }

  /** Whether a text cell is one of the tokens ("" counts only when listed; DEFAULT_MISSING lists it). */
  has(text: string): boolean {
    const length = text.length;
    if (length === 0) return this.#set.has("");
    if (length > this.#longest) return false;
    const c = text.charCodeAt(0);
    if (c < 128 ? (this.#starts[c >> 5]! & (1 << (c & 31))) === 0 : !this.#nonAsciiStart) return false;
    return this.#set.has(text);
  }
}

export const DEFAULT_TOKENS = new MissingTokens(DEFAULT_MISSING);

const cache = new Map<string, MissingTokens>();

/** The tokens for a configured list (`data.missing`); the default when none is given. */
export function missingTokens(list?: readonly string[]): MissingTokens {
  if (list === undefined) return DEFAULT_TOKENS;
  const key = JSON.stringify(list);
  let tokens = cache.get(key);
  if (!tokens) {
    tokens = new MissingTokens(list);
    cache.set(key, tokens);
  }
  return tokens;
}

/** Missing: null, nothing at all, the empty cell, or one of the missing-value tokens. */
export function isMissing(cell: unknown, tokens: MissingTokens = DEFAULT_TOKENS): boolean {
  if (cell === null || cell === undefined || cell === "") return true;
  return typeof cell === "string" && tokens.has(cell);
}

/** The number a cell holds (NaN when it holds none); JSON numbers as they are, booleans are not numbers. */
export function cellNumber(cell: Cell | undefined): number {
  if (typeof cell === "number") return cell;
  if (typeof cell !== "string") return Number.NaN;
  return parseDecimal(cell);
}

/** A finite number, or NaN (missing, text, NaN and infinities alike): what features and metrics use. */
export function finiteNumber(cell: unknown, tokens: MissingTokens = DEFAULT_TOKENS): number {
  if (typeof cell === "number") return cell - cell === 0 ? cell : Number.NaN;
  if (typeof cell !== "string" || tokens.has(cell)) return Number.NaN;
  const value = parseDecimal(cell);
  return value - value === 0 ? value : Number.NaN;
}

const NON_FINITE = /^\s*[+-]?(nan|inf|infinity)\s*$/i;

/** Why a cell that should be a number is not one ("not a finite number" for NaN/Infinity text). */
export function numberProblem(cell: Cell): string {
  if (typeof cell === "number" || (typeof cell === "string" && NON_FINITE.test(cell)))
    return "not a finite number";
  return "not a number";
}

// ---------------------------------------------------------------------------------------------
// Booleans: true/false and yes/no in any case, JSON booleans; 1/0 only where a column is
// declared boolean (a 0/1 column is otherwise an integer column).

const WORDS = new Map<string, boolean>([
  ["true", true],
  ["false", false],
  ["yes", true],
  ["no", false],
]);

/** The boolean a cell holds, or undefined; `declared` also reads 1/0 (a schema's boolean column). */
export function cellBoolean(cell: unknown, declared = false): boolean | undefined {
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "number") {
    if (!declared) return undefined;
    return cell === 1 ? true : cell === 0 ? false : undefined;
  }
  if (typeof cell !== "string") return undefined;
  const word = WORDS.get(cell) ?? WORDS.get(cell.trim().toLowerCase());
  if (word !== undefined || !declared) return word;
  const digit = cell.trim();
  return digit === "1" ? true : digit === "0" ? false : undefined;
}

/** Whether a text is a boolean word (what inference reads as a boolean). */
export function isBooleanWord(text: string): boolean {
  return cellBoolean(text) !== undefined;
}

// ---------------------------------------------------------------------------------------------

/** What a present cell looks like, most specific first; inference and type consistency use it. */
export const Kind = { missing: 0, number: 1, boolean: 2, datetime: 3, text: 4 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export function cellKind(cell: Cell | undefined, tokens: MissingTokens = DEFAULT_TOKENS): Kind {
  if (cell === null || cell === undefined) return Kind.missing;
  if (typeof cell === "number") return Kind.number;
  if (typeof cell === "boolean") return Kind.boolean;
  // The empty cell is always missing, whatever data.missing lists (as isMissing says).
  if (cell === "" || tokens.has(cell)) return Kind.missing;
  const n = parseDecimal(cell);
  if (n - n === 0) return Kind.number;
  if (cellBoolean(cell) !== undefined) return Kind.boolean;
  if (!Number.isNaN(parseDatetime(cell))) return Kind.datetime;
  return Kind.text;
}

export const KIND_NAMES: Record<Kind, string> = {
  [Kind.missing]: "missing",
  [Kind.number]: "numbers",
  [Kind.boolean]: "booleans",
  [Kind.datetime]: "dates",
  [Kind.text]: "text",
};

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
