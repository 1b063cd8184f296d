import { quote } from "../data/cells.js";
import type { Cell } from "../data/types.js";
import type { ColumnRunner, ColumnState } from "./check.js";
import { H, hashConstant, hashNumber, hashString, mixRow } from "./hash.js";
import { KnownTexts } from "./known-texts.js";
import { absent, hit, missingCell, onUnique, type RunnerContext } from "./runner-kit.js";

function listOf(values: readonly string[]): string {
  const shown = values.slice(0, 10).join(", ");
  return values.length > 10 ? `${shown}, ... (${values.length} values)` : shown;
}

/** string and category columns: allowed values, pattern and length. */
export function textRunner(ctx: RunnerContext): ColumnRunner {
  const { spec, unique, tokens } = ctx;
  const allowed = spec.values?.map(String);
  const index = allowed ? new Map(allowed.map((value, i) => [value, i])) : undefined;
  const regex = spec.pattern !== undefined ? new RegExp(spec.pattern) : undefined;
  const minLength = spec.minLength ?? 0;
  const maxLength = spec.maxLength ?? Number.POSITIVE_INFINITY;
  const check = textChecks(ctx, {
    index,
    allowedText: allowed ? listOf(allowed) : "",
    regex,
    minLength,
    maxLength,
  });
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
        missingCell(ctx, state, lines[r]!, rowA, rowB, r);
        continue;
      }
      check(cell, lines[r]!, state, hashing);
      if (unique) onUnique(state, lines[r]!);
      if (rowA !== null) mixRow(rowA, rowB!, r);
    }
  };
}

/** One present text cell's checks (allowed values, pattern, length); leaves its hash in `H` when hashing. */
function textChecks(
  ctx: RunnerContext,
  rules: {
    index: Map<string, number> | undefined;
    allowedText: string;
    regex: RegExp | undefined;
    minLength: number;
    maxLength: number;
  },
): (cell: Cell, line: number, state: ColumnState, hashing: boolean) => void {
  const { name, spec, maxErrors: max } = ctx;
  const { index, allowedText, regex, minLength, maxLength } = rules;
  return (cell, line, state, hashing) => {
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
}
