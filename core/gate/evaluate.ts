import type { Gate } from "../config/schema.js";
import { UserError } from "../errors.js";
import { getMetric, metricsFor } from "../metrics/index.js";
import type { MetricValues, Task } from "../metrics/schema.js";
import type { PairedTest } from "../stats/schema.js";
import type { GateResult, GateRule } from "./schema.js";

export interface GateInputs {
  /** The challenger's metrics. */
  metrics: MetricValues;
  champion?: MetricValues;
  /** Per metric: challenger - champion, its interval and p-value (McNemar's for accuracy-type metrics). */
  tests: Record<string, PairedTest>;
}

export interface GateOptions {
  /** A change beyond a maxDrop/maxIncrease threshold only fails when its p-value is below this. */
  significance: number;
  task: Task;
}

// Metric values that print as equal (0.9 - 0.89 vs 0.01) must compare as equal, not fail by 1e-17.
const TOLERANCE = 1e-12;

function ruleOf(gate: Gate): { rule: GateRule; threshold: number } {
  if ("min" in gate) return { rule: "min", threshold: gate.min };
  if ("max" in gate) return { rule: "max", threshold: gate.max };
  if ("maxDrop" in gate) return { rule: "maxDrop", threshold: gate.maxDrop };
  return { rule: "maxIncrease", threshold: gate.maxIncrease };
}

const show = (x: number): string => String(Number(x.toPrecision(4)));
const showP = (p: number): string => (p < 0.001 ? "< 0.001" : `= ${Number(p.toPrecision(2))}`);

/** Config mistakes, found before any work is done: unknown metrics, a drop rule on a lower-is-better metric. */
export function checkGates(gates: readonly Gate[], task: Task): void {
  gates.forEach((gate, i) => {
    const metric = getMetric(task, gate.metric);
    if (!metric) {
      const known = metricsFor(task).map((m) => m.name);
      throw new UserError(`unknown ${task} metric '${gate.metric}'; known: ${known.join(", ")}`, {
        field: `gates[${i}].metric`,
      });
    }
    const { rule } = ruleOf(gate);
    const wanted = rule === "maxDrop" ? "max" : rule === "maxIncrease" ? "min" : metric.direction;
    if (metric.direction !== wanted) {
      const better = metric.direction === "max" ? "higher" : "lower";
      const instead = rule === "maxDrop" ? "maxIncrease" : "maxDrop";
      throw new UserError(
        `${gate.metric} is ${better}-is-better, so ${rule} never flags it; use ${instead}`,
        {
          field: `gates[${i}].${rule}`,
        },
      );
    }
  });
}

function absolute(gate: Gate, rule: "min" | "max", threshold: number, value: number): GateResult {
  const passed = rule === "min" ? value >= threshold - TOLERANCE : value <= threshold + TOLERANCE;
  const relation = passed ? (rule === "min" ? ">=" : "<=") : rule === "min" ? "is below" : "is above";
  const reason = `${gate.metric} ${show(value)} ${relation} ${rule} ${show(threshold)}`;
  return { metric: gate.metric, rule, value, threshold, passed, reason };
}

/**
 * maxDrop / maxIncrease: a change beyond the threshold fails only when it is also significant, so a
 * small test set's noise does not block a merge. Without a test for the metric the threshold alone decides.
 */
function relative(
  gate: Gate,
  rule: "maxDrop" | "maxIncrease",
  threshold: number,
  value: number,
  inputs: GateInputs,
  significance: number,
): GateResult {
  const base = { metric: gate.metric, rule, threshold };
  const championValue = inputs.champion?.[gate.metric];
  if (championValue === undefined) {
    return { ...base, value: 0, passed: true, reason: "no champion to compare" };
  }
  const delta = value - championValue;
  const change = rule === "maxDrop" ? -delta : delta;
  const verb = rule === "maxDrop" ? "dropped" : "increased";
  const test = inputs.tests[gate.metric];
  const ci: [number, number] | undefined = test
    ? rule === "maxDrop"
      ? [-test.ci[1], -test.ci[0]]
      : test.ci
    : undefined;
  const stats = test ? { ci, pValue: test.pValue } : {};
  if (change - threshold <= TOLERANCE) {
    const reason =
      change > 0
        ? `${gate.metric} ${verb} by ${show(change)}, within ${rule} ${show(threshold)}`
        : `${gate.metric} did not get worse (${show(championValue)} -> ${show(value)})`;
    return { ...base, value: change, passed: true, ...stats, reason };
  }
  const beyond = `${gate.metric} ${verb} by ${show(change)} (${show(championValue)} -> ${show(value)}), beyond ${rule} ${show(threshold)}`;
  if (!test) {
    return { ...base, value: change, passed: false, reason: `${beyond}; no significance test available` };
  }
  const significant = test.pValue < significance;
  const reason = significant
    ? `${beyond}, significant (p ${showP(test.pValue)} < ${significance})`
    : `${beyond}, but not significant (p ${showP(test.pValue)} >= ${significance})`;
  return { ...base, value: change, passed: !significant, ...stats, reason };
}

/** One result per gate, in order. Gates are checked first: an unknown metric is a UserError. */
export function evaluateGates(
  gates: readonly Gate[],
  inputs: GateInputs,
  options: GateOptions,
): GateResult[] {
  checkGates(gates, options.task);
  return gates.map((gate, i) => {
    const value = inputs.metrics[gate.metric];
    if (value === undefined) {
      throw new UserError(
        `${gate.metric} is undefined on this test data (roc_auc needs rows of more than one class)`,
        { field: `gates[${i}].metric` },
        1,
      );
    }
    const { rule, threshold } = ruleOf(gate);
    return rule === "min" || rule === "max"
      ? absolute(gate, rule, threshold, value)
      : relative(gate, rule, threshold, value, inputs, options.significance);
  });
}
