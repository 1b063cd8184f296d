import { type ColumnPlan, type ColumnState, defineGroup, type Report } from "../check.js";
import { findRepeats, mergeHashLog, newHashLog } from "../hash.js";
import type { CheckName } from "../schema.js";
import { mergeTally, newTally, note, type Tally, tallyMessage } from "../tally.js";

/** Checks on each value, subject to the column's `mostly`. */
const VALUE_CHECKS: readonly CheckName[] = ["null", "type", "min", "max", "values", "pattern", "length"];
/** Checks that are errors whatever `mostly` says. */
const STRICT_CHECKS: readonly CheckName[] = ["target_null"];

/**
 * Per-column value checks. Runs first: its loops also fold every cell into the row hashes
 * that the duplicate-row group reads (one parse per cell for both).
 */
export const valueChecks = defineGroup<ColumnState[]>({
  name: "values",
  emits: [...VALUE_CHECKS, ...STRICT_CHECKS, "unique"],
  init: (plan) =>
    plan.columns.map((column) => ({
      failed: 0,
      tallies: {},
      ...(column.unique ? { unique: newHashLog() } : {}),
    })),
  add(plan, states, batch, scratch) {
    const { rowA, rowB } = scratch;
    for (const [c, column] of plan.columns.entries()) {
      const numbers = batch.numbers?.[c];
      const text = batch.text?.[c];
      column.run(batch.columns[c] ?? [], batch.lines, batch.size, states[c]!, rowA, rowB, numbers, text);
    }
  },
  merge(plan, into, from) {
    const max = plan.options.maxErrors;
    for (let c = 0; c < plan.columns.length; c++) {
      const a = into[c]!;
      const b = from[c]!;
      a.failed += b.failed;
      for (const [check, tally] of Object.entries(b.tallies) as [CheckName, Tally][]) {
        const mine = a.tallies[check];
        if (mine) mergeTally(mine, tally, max);
        else a.tallies[check] = { ...tally, lines: [...tally.lines] };
      }
      if (a.unique && b.unique) mergeHashLog(a.unique, b.unique);
    }
  },
  finish(plan, states, report) {
    for (const [c, column] of plan.columns.entries()) {
      reportColumn(column, states[c]!, report, plan.options.schemaless);
      reportUnique(column, states[c]!, plan.options.maxErrors, report);
    }
  },
});

function reportColumn(column: ColumnPlan, state: ColumnState, report: Report, schemaless: boolean): void {
  const { name } = column;
  const { mostly } = column.spec;
  const rows = report.rows;
  const passing = rows === 0 ? 1 : (rows - state.failed) / rows;
  const tolerated = state.failed > 0 && mostly < 1 && passing >= mostly;
  const share = `${percent(passing)} of rows pass`;
  for (const check of VALUE_CHECKS) {
    const tally = state.tallies[check];
    if (!tally) continue;
    const issue = { check, column: name, lines: tally.lines, count: tally.count };
    if (tolerated) {
      report.warning({ ...issue, message: tallyMessage(tally, `; ${share}, within mostly ${mostly}`) });
    } else {
      const suffix = mostly < 1 ? `; ${share}, below mostly ${mostly}` : "";
      report.error({ ...issue, message: tallyMessage(tally, suffix) });
    }
  }
  for (const check of STRICT_CHECKS) {
    const tally = state.tallies[check];
    if (!tally) continue;
    const issue = { check, column: name, lines: tally.lines, count: tally.count };
    // Without a schema, rows without a target are left out of training (a warning), not a broken file.
    if (schemaless)
      report.warning({ ...issue, message: tallyMessage(tally, "; training leaves these rows out") });
    else report.error({ ...issue, message: tallyMessage(tally) });
  }
}

/** Repeats are only known once every part is merged; missing values never count as repeats. */
function reportUnique(column: ColumnPlan, state: ColumnState, max: number, report: Report): void {
  if (!state.unique) return;
  const tally = newTally();
  findRepeats(state.unique, (repeat, first) => {
    if (note(tally, repeat, max)) tally.example = `${column.name}: value repeats the one on line ${first}`;
  });
  if (tally.count === 0) return;
  report.error({
    check: "unique",
    column: column.name,
    lines: tally.lines,
    count: tally.count,
    message: tallyMessage(tally),
  });
}

function percent(share: number): string {
  // Never round a failing share up to "100%".
  const value = Math.floor(share * 1000) / 10;
  return `${value}%`;
}
