import { toBoolean } from "../../schema/values.js";
import { defineGroup, type Plan } from "../check.js";

/** Past this many distinct target values the target is no classification target; stop counting. */
const MAX_CLASSES = 1000;

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
  return type === "category" || type === "boolean" ? index : -1;
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
    const boolean = plan.columns[index]!.spec.type === "boolean";
    const { counts } = state;
    for (let r = 0; r < batch.size; r++) {
      const code = text !== undefined ? text.codes[r]! : -1;
      const cell = code >= 0 ? text!.values[code] : cells[r];
      if (cell === null || cell === "" || cell === undefined) continue;
      const flag = boolean ? toBoolean(cell) : undefined;
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
