import {
  cellBoolean,
  type MissingTokens,
  numberProblem,
  parseDatetime,
  parseDecimal,
  quick,
  quickDecimal,
  quote,
} from "../data/cells.js";
import type { Cell } from "../data/types.js";
import type { ColumnSpec } from "../data-schema/schema.js";
import { type ColumnRunner, type ColumnState, MissingRule } from "./check.js";
import { H, hashConstant, hashNumber, hashString, logHash, mixRow } from "./hash.js";
import { KnownTexts } from "./known-texts.js";
import type { CheckName } from "./schema.js";
import { note, type Tally } from "./tally.js";

/**
 * The hot loops: one compiled closure per column, specialised by type, walking the column's
 * array once. The passing path allocates nothing; strings are built only for a tally's
 * earliest failure.
 */

export interface RunnerContext {
  name: string;
  spec: ColumnSpec;
  missing: MissingRule;
  unique: boolean;
  maxErrors: number;
  /** What reads as missing (`data.missing`). */
  tokens: MissingTokens;
}

/** Missing by the grammar: null, nothing, "" or a missing-value token. */
function absent(cell: Cell | undefined, tokens: MissingTokens): boolean {
  return cell === null || cell === undefined || cell === "" || (typeof cell === "string" && tokens.has(cell));
}

const MISSING_HASH = -1;

/** The tally to phrase an example into, or undefined when this failure is not the earliest. */
function hit(state: ColumnState, check: CheckName, line: number, max: number): Tally | undefined {
  let tally = state.tallies[check];
  if (!tally) {
    tally = { count: 0, lines: [], example: "", exampleLine: 0 };
    state.tallies[check] = tally;
  }
  return note(tally, line, max) ? tally : undefined;
}

function onMissing(ctx: RunnerContext, state: ColumnState, line: number): void {
  if (ctx.missing === MissingRule.target) {
    const tally = hit(state, "target_null", line, ctx.maxErrors);
    if (tally) tally.example = `${ctx.name}: the target value is missing`;
  } else {
    state.failed++;
    const tally = hit(state, "null", line, ctx.maxErrors);
    if (tally) tally.example = `${ctx.name}: missing value, but nullable is false`;
  }
}

/** Records the current hash `H` as a value of a unique column; repeats are found at the end. */
function onUnique(state: ColumnState, line: number): void {
  logHash(state.unique!, H[0]!, H[1]!, line);
}

function bound(value: number | string | undefined, fallback: number, datetime: boolean): number {
  if (value === undefined) return fallback;
  return datetime ? parseDatetime(String(value)) : Number(value);
}

function numberRunner(ctx: RunnerContext): ColumnRunner {
  const { name, spec, maxErrors: max, unique, tokens } = ctx;
  const integer = spec.type === "integer";
  // Tokens that read as numbers (`data.missing: ["-999"]`): the typed path must look for them too.
  const numericTokens = new Set(tokens.list.map(parseDecimal).filter((n) => n - n === 0));
  const lo = bound(spec.min, Number.NEGATIVE_INFINITY, false);
  const hi = bound(spec.max, Number.POSITIVE_INFINITY, false);
  // Approximate parses this close to a bound are re-parsed exactly before deciding.
  const loEdge = lo + Math.abs(lo) * 1e-9;
  const hiEdge = hi - Math.abs(hi) * 1e-9;
  const checkMissing = ctx.missing !== MissingRule.allowed;
  /** A finite value: bounds, then its hash. `integer` was checked by the caller. */
  const inRange = (n: number, line: number, state: ColumnState, hashing: boolean): void => {
    if (n < lo) {
      state.failed++;
      const tally = hit(state, "min", line, max);
      if (tally) tally.example = `${name}: ${n} is below min ${lo}`;
    } else if (n > hi) {
      state.failed++;
      const tally = hit(state, "max", line, max);
      if (tally) tally.example = `${name}: ${n} is above max ${hi}`;
    }
    if (hashing) hashNumber(n);
  };
  /** One cell as text (or a JSON/Parquet scalar); returns whether it was missing. */
  const cell = (given: Cell | undefined, line: number, state: ColumnState, hashing: boolean): boolean => {
    if (given === undefined || absent(given, tokens)) {
      if (checkMissing) onMissing(ctx, state, line);
      if (hashing) hashConstant(MISSING_HASH);
      return true;
    }
    const cell: Cell = given;
    let n = typeof cell === "number" ? cell : typeof cell === "string" ? quickDecimal(cell) : Number.NaN;
    if (quick.approximate && (integer || n <= loEdge || n >= hiEdge)) n = parseDecimal(cell as string);
    if (n - n !== 0) {
      state.failed++;
      const tally = hit(state, "type", line, max);
      if (tally) {
        const problem =
          integer && numberProblem(cell) === "not a number" ? "not an integer" : numberProblem(cell);
        tally.example = `${name}: ${quote(cell)} is ${problem}`;
      }
      if (hashing) hashString(String(cell));
    } else if (integer && !Number.isInteger(n)) {
      state.failed++;
      const tally = hit(state, "type", line, max);
      if (tally) tally.example = `${name}: ${quote(cell)} is not an integer`;
      if (hashing) hashNumber(n);
    } else inRange(n, line, state, hashing);
    return false;
  };
  return (cells, lines, size, state, rowA, rowB, numbers) => {
    const hashing = rowA !== null || unique;
    for (let r = 0; r < size; r++) {
      // Typed: NaN marks a cell the reader left as text. Integer columns are typed only for whole numbers.
      const n = numbers !== undefined ? numbers[r]! : Number.NaN;
      if (!Number.isNaN(n) && (numericTokens.size === 0 || !numericTokens.has(n)))
        inRange(n, lines[r]!, state, hashing);
      else if (cell(cells[r], lines[r]!, state, hashing)) {
        if (rowA !== null) mixRow(rowA, rowB!, r);
        continue;
      }
      if (unique) onUnique(state, lines[r]!);
      if (rowA !== null) mixRow(rowA, rowB!, r);
    }
  };
}

function datetimeRunner(ctx: RunnerContext): ColumnRunner {
  const { name, spec, maxErrors: max, unique, tokens } = ctx;
  const unit = spec.unit;
  const lo = bound(spec.min, Number.NEGATIVE_INFINITY, true);
  const hi = bound(spec.max, Number.POSITIVE_INFINITY, true);
  const checkMissing = ctx.missing !== MissingRule.allowed;
  return (cells, lines, size, state, rowA, rowB) => {
    const hashing = rowA !== null || unique;
    for (let r = 0; r < size; r++) {
      const cell = cells[r]!;
      if (absent(cell, tokens)) {
        if (checkMissing) onMissing(ctx, state, lines[r]!);
        if (rowA !== null) {
          hashConstant(MISSING_HASH);
          mixRow(rowA, rowB!, r);
        }
        continue;
      }
      const ms = parseDatetime(cell, unit);
      if (Number.isNaN(ms)) {
        state.failed++;
        const tally = hit(state, "type", lines[r]!, max);
        if (tally)
          tally.example = `${name}: ${quote(cell)} is not a date (ISO 8601, YYYY/MM/DD HH:MM or MM/DD/YYYY)`;
        if (hashing) hashString(String(cell));
      } else {
        if (ms < lo || ms > hi) {
          const check = ms < lo ? "min" : "max";
          state.failed++;
          const tally = hit(state, check, lines[r]!, max);
          if (tally)
            tally.example = `${name}: ${quote(cell)} is ${ms < lo ? "before min" : "after max"} ${ms < lo ? spec.min : spec.max}`;
        }
        if (hashing) hashNumber(ms);
      }
      if (unique) onUnique(state, lines[r]!);
      if (rowA !== null) mixRow(rowA, rowB!, r);
    }
  };
}

function booleanRunner(ctx: RunnerContext): ColumnRunner {
  const { name, maxErrors: max, unique, tokens } = ctx;
  const checkMissing = ctx.missing !== MissingRule.allowed;
  return (cells, lines, size, state, rowA, rowB) => {
    const hashing = rowA !== null || unique;
    for (let r = 0; r < size; r++) {
      const cell = cells[r]!;
      if (absent(cell, tokens)) {
        if (checkMissing) onMissing(ctx, state, lines[r]!);
        if (rowA !== null) {
          hashConstant(MISSING_HASH);
          mixRow(rowA, rowB!, r);
        }
        continue;
      }
      const value = cellBoolean(cell, true);
      if (value === undefined) {
        state.failed++;
        const tally = hit(state, "type", lines[r]!, max);
        if (tally) tally.example = `${name}: ${quote(cell)} is not a boolean (true/false, yes/no, 1/0)`;
        if (hashing) hashString(String(cell));
      } else if (hashing) hashConstant(value ? 1 : 0);
      if (unique) onUnique(state, lines[r]!);
      if (rowA !== null) mixRow(rowA, rowB!, r);
    }
  };
}

function listOf(values: readonly string[]): string {
  const shown = values.slice(0, 10).join(", ");
  return values.length > 10 ? `${shown}, ... (${values.length} values)` : shown;
}

/** string and category columns: allowed values, pattern and length. */
function textRunner(ctx: RunnerContext): ColumnRunner {
  const { name, spec, maxErrors: max, unique, tokens } = ctx;
  const allowed = spec.values?.map(String);
  const index = allowed ? new Map(allowed.map((value, i) => [value, i])) : undefined;
  const allowedText = allowed ? listOf(allowed) : "";
  const regex = spec.pattern !== undefined ? new RegExp(spec.pattern) : undefined;
  const minLength = spec.minLength ?? 0;
  const maxLength = spec.maxLength ?? Number.POSITIVE_INFINITY;
  const checkMissing = ctx.missing !== MissingRule.allowed;
  /** One present cell's checks; leaves its hash in `H` when hashing. */
  const check = (cell: Cell, line: number, state: ColumnState, hashing: boolean): void => {
    const text = typeof cell === "string" ? cell : String(cell);
    let bad = false;
    let hashed = false;
    if (index !== undefined) {
      const k = index.get(text);
      if (k === undefined) {
        bad = true;
        const tally = hit(state, "values", line, max);
        if (tally) tally.example = `${name}: ${quote(cell)} is not one of ${allowedText}`;
      } else if (hashing) {
        // A known category hashes by its index: no walk over its characters.
        hashConstant(k);
        hashed = true;
      }
    }
    if (regex !== undefined && !regex.test(text)) {
      bad = true;
      const tally = hit(state, "pattern", line, max);
      if (tally) tally.example = `${name}: ${quote(cell)} does not match pattern ${spec.pattern}`;
    }
    if (text.length < minLength || text.length > maxLength) {
      bad = true;
      const tally = hit(state, "length", line, max);
      if (tally) {
        const rule =
          text.length < minLength
            ? `shorter than minLength ${minLength}`
            : `longer than maxLength ${maxLength}`;
        tally.example = `${name}: ${quote(cell)} has ${text.length} characters, ${rule}`;
      }
    }
    if (bad) state.failed++;
    if (hashing && !hashed) hashString(text);
  };
  const known = new KnownTexts(index, regex, minLength, maxLength, tokens);
  return (cells, lines, size, state, rowA, rowB, numbers, text) => {
    const hashing = rowA !== null || unique;
    if (text !== undefined) known.update(text.values);
    for (let r = 0; r < size; r++) {
      // Schema-less validation may have the reader type a column as numbers; a typed cell passes.
      if (numbers !== undefined && !Number.isNaN(numbers[r]!)) {
        if (hashing) hashNumber(numbers[r]!);
        if (unique) onUnique(state, lines[r]!);
        if (rowA !== null) mixRow(rowA, rowB!, r);
        continue;
      }
      const code = text !== undefined ? text.codes[r]! : -1;
      let cell: Cell | undefined;
      if (code >= 0) {
        // A dictionary value that passes every check: its hash was worked out once.
        if (known.passes[code] === 1) {
          H[0] = known.hashA[code]!;
          H[1] = known.hashB[code]!;
          if (unique) onUnique(state, lines[r]!);
          if (rowA !== null) mixRow(rowA, rowB!, r);
          continue;
        }
        cell = text!.values[code];
      } else cell = cells[r];
      if (cell === undefined || absent(cell, tokens)) {
        if (checkMissing) onMissing(ctx, state, lines[r]!);
        if (rowA !== null) {
          hashConstant(MISSING_HASH);
          mixRow(rowA, rowB!, r);
        }
        continue;
      }
      check(cell, lines[r]!, state, hashing);
      if (unique) onUnique(state, lines[r]!);
      if (rowA !== null) mixRow(rowA, rowB!, r);
    }
  };
}

export function compileRunner(ctx: RunnerContext): ColumnRunner {
  switch (ctx.spec.type) {
    case "integer":
    case "number":
      return numberRunner(ctx);
    case "datetime":
      return datetimeRunner(ctx);
    case "boolean":
      return booleanRunner(ctx);
    case "category":
    case "string":
      return textRunner(ctx);
  }
}
