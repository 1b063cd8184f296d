import { defineGroup } from "../check.js";
import { findRepeats, type HashLogState, logHash, mergeHashLog, newHashLog } from "../hash.js";
import { newTally, note, tallyMessage } from "../tally.js";

/** Whole-row duplicates by 64-bit row hash; the later occurrences are reported. */
export const duplicateChecks = defineGroup<HashLogState>({
  name: "duplicates",
  emits: ["duplicate_row"],
  init: () => newHashLog(),
  add(plan, log, batch, { rowA, rowB }) {
    if (!plan.hashRows || rowA === null || rowB === null) return;
    const lines = batch.lines;
    for (let r = 0; r < batch.size; r++) logHash(log, rowA[r]!, rowB[r]!, lines[r]!);
  },
  merge(_plan, into, from) {
    mergeHashLog(into, from);
  },
  finish(plan, log, report) {
    const severity = plan.schema.rows.duplicates;
    if (severity === "ignore") return;
    const tally = newTally();
    findRepeats(log, (repeat, first) => {
      if (note(tally, repeat, plan.options.maxErrors)) tally.example = `row repeats line ${first}`;
    });
    if (tally.count === 0) return;
    const issue = { check: "duplicate_row" as const, lines: tally.lines, count: tally.count };
    if (severity === "error") report.error({ ...issue, message: tallyMessage(tally) });
    else
      report.warning({
        ...issue,
        message: tallyMessage(tally, "; rows.duplicates: error makes this an error"),
      });
  },
});
