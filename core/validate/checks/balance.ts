import { cellBoolean, missingTokens, parseDecimal } from "../../data/cells.js";
import { defineGroup, type Plan } from "../check.js";

/** Past this many distinct target values the target is no classification target; stop counting. */
const MAX_CLASSES = 1000;
/** Without a schema, a numeric target with more distinct values than this is taken for regression. */
const MAX_NUMERIC_CLASSES = 20;

interface BalanceState {
  counts: Map<string, number>;
  overflow: boolean;
}

function targetIndex(plan: Plan): number {
  const { target } = plan.options;
  if (target === undefined) return -1;
  const index = plan.header.indexOf(target);
  const type = plan.columns[index]?.spec.type;
  // Only a declared classification target has classes; a numeric target may be regression.
  // Without a schema every target is counted, and finish tells classes from a regression target.
  return type === "category" || type === "boolean" || plan.options.schemaless ? index : -1;
}

/** Warns when the target's majority class outnumbers its minority class by more than imbalanceRatio. */
export const balanceChecks = defineGroup<BalanceState>({
  name: "balance",
  emits: ["class_imbalance"],
  init: () => ({ counts: new Map(), overflow: false }),
  add(plan, state, batch) {
    const index = targetIndex(plan);
    if (index < 0 || state.overflow) return;
    const cells = batch.columns[index] ?? [];
    const text = batch.text?.[index];
    const numbers = batch.numbers?.[index];
    const boolean = plan.columns[index]!.spec.type === "boolean";
    const { counts } = state;
    const tokens = missingTokens(plan.options.missing);
    for (let r = 0; r < batch.size; r++) {
      const code = text !== undefined ? text.codes[r]! : -1;
      const typed = numbers !== undefined && !Number.isNaN(numbers[r]!);
      const cell = typed ? numbers[r]! : code >= 0 ? text!.values[code] : cells[r];
      if (
        cell === null ||
        cell === "" ||
        cell === undefined ||
        (typeof cell === "string" && tokens.has(cell))
      )
        continue;
      const flag = boolean ? cellBoolean(cell, true) : undefined;
      // An unparseable boolean is a type error already, not a class.
      if (boolean && flag === undefined) continue;
      const key = boolean ? String(flag) : typeof cell === "string" ? cell : String(cell);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (counts.size > MAX_CLASSES) state.overflow = true;
  },
  merge(_plan, into, from) {
    into.overflow ||= from.overflow;
    for (const [key, count] of from.counts) into.counts.set(key, (into.counts.get(key) ?? 0) + count);
  },
  finish(plan, state, report) {
    const target = plan.options.target;
    if (target === undefined || state.overflow || state.counts.size === 0) return;
    if (plan.options.schemaless && state.counts.size > MAX_NUMERIC_CLASSES) {
      const numeric = [...state.counts.keys()].every((key) => parseDecimal(key) - parseDecimal(key) === 0);
      if (numeric) return;
    }
    // Ties break by name so merged and sequential runs name the same classes.
    const ranked = [...state.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const [major, majorCount] = ranked[0]!;
    const [minor, minorCount] = ranked.at(-1)!;
    const issue = { check: "class_imbalance" as const, column: target, lines: [], count: 0 };
    if (ranked.length === 1) {
      report.warning({
        ...issue,
        message: `${target}: every row has the class '${major}'; a classifier needs two or more`,
      });
      return;
    }
    const ratio = majorCount / minorCount;
    if (ratio <= plan.options.imbalanceRatio) return;
    report.warning({
      ...issue,
      count: minorCount,
      message:
        `${target}: class '${major}' has ${majorCount} rows, ${ratio.toFixed(1)} times the ${minorCount} of class ` +
        `'${minor}' (more than imbalanceRatio ${plan.options.imbalanceRatio})`,
    });
  },
});
