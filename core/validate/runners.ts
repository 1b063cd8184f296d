import {
  cellBoolean,
  numberProblem,
  parseDatetime,
  parseDecimal,
  quick,
  quickDecimal,
  quote,
} from "../data/cells.js";
import type { Cell } from "../data/types.js";
import { type ColumnRunner, type ColumnState, MissingRule } from "./check.js";
import { hashConstant, hashNumber, hashString, mixNumbers, mixRow } from "./hash.js";
import {
  absent,
  bound,
  hit,
  MISSING_HASH,
  missingCell,
  onMissing,
  onUnique,
  type RunnerContext,
} from "./runner-kit.js";
import { textRunner } from "./text-runner.js";

/**
 * The hot loops: one compiled closure per column, specialised by type, walking the column's
 * array once. The passing path allocates nothing; strings are built only for a tally's
 * earliest failure.
 */

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
  // A typed batch with every cell a number needs only the bounds and the row hashes.
  const plain = numericTokens.size === 0 && !unique;
  return (cells, lines, size, state, rowA, rowB, numbers) => {
    if (plain && numbers !== undefined && !hasNaN(numbers, size)) {
      for (let r = 0; r < size; r++) {
        const n = numbers[r]!;
        if (n < lo || n > hi) inRange(n, lines[r]!, state, false);
      }
      if (rowA !== null) mixNumbers(numbers, size, rowA, rowB!);
      return;
    }
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

function hasNaN(numbers: Float64Array, size: number): boolean {
  for (let r = 0; r < size; r++) if (Number.isNaN(numbers[r])) return true;
  return false;
}

function datetimeRunner(ctx: RunnerContext): ColumnRunner {
  const { name, spec, maxErrors: max, unique, tokens } = ctx;
  const unit = spec.unit;
  const lo = bound(spec.min, Number.NEGATIVE_INFINITY, true);
  const hi = bound(spec.max, Number.POSITIVE_INFINITY, true);
  return (cells, lines, size, state, rowA, rowB) => {
    const hashing = rowA !== null || unique;
    for (let r = 0; r < size; r++) {
      const cell = cells[r]!;
      if (absent(cell, tokens)) {
        missingCell(ctx, state, lines[r]!, rowA, rowB, r);
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
  return (cells, lines, size, state, rowA, rowB) => {
    const hashing = rowA !== null || unique;
    for (let r = 0; r < size; r++) {
      const cell = cells[r]!;
      if (absent(cell, tokens)) {
        missingCell(ctx, state, lines[r]!, rowA, rowB, r);
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
