import { type MissingTokens, parseDatetime } from "../data/cells.js";
import type { Cell } from "../data/types.js";
import type { ColumnSpec } from "../data-schema/schema.js";
import { type ColumnState, MissingRule } from "./check.js";
import { H, hashConstant, logHash, mixRow } from "./hash.js";
import type { CheckName } from "./schema.js";
import { note, type Tally } from "./tally.js";

/** What every column runner shares: its context, the missing rule, tallies and the unique log. */

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
export function absent(cell: Cell | undefined, tokens: MissingTokens): boolean {
  return cell === null || cell === undefined || cell === "" || (typeof cell === "string" && tokens.has(cell));
}

export const MISSING_HASH = -1;

/** The tally to phrase an example into, or undefined when this failure is not the earliest. */
export function hit(state: ColumnState, check: CheckName, line: number, max: number): Tally | undefined {
  let tally = state.tallies[check];
  if (!tally) {
    tally = { count: 0, lines: [], example: "", exampleLine: 0 };
    state.tallies[check] = tally;
  }
  return note(tally, line, max) ? tally : undefined;
}

export function onMissing(ctx: RunnerContext, state: ColumnState, line: number): void {
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
export function onUnique(state: ColumnState, line: number): void {
  logHash(state.unique!, H[0]!, H[1]!, line);
}

export function bound(value: number | string | undefined, fallback: number, datetime: boolean): number {
  if (value === undefined) return fallback;
  return datetime ? parseDatetime(String(value)) : Number(value);
}

/** A missing cell of a runner that hashes rows: the rule's tally, then the row's hash of "missing". */
export function missingCell(
  ctx: RunnerContext,
  state: ColumnState,
  line: number,
  rowA: Int32Array | null,
  rowB: Int32Array | null,
  r: number,
): void {
  if (ctx.missing !== MissingRule.allowed) onMissing(ctx, state, line);
  if (rowA !== null) {
    hashConstant(MISSING_HASH);
    mixRow(rowA, rowB!, r);
  }
}
