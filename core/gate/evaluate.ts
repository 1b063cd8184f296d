import type { Gate, OnInconclusive } from "../config/schema.js";
import { UserError } from "../errors.js";
import { getMetric, metricsFor } from "../metrics/index.js";
import type { MetricValues, Task } from "../metrics/schema.js";
import { boundsOf, normalQuantile, rowVariance } from "../stats/index.js";
import type { Evidence } from "../stats/schema.js";
import type { GateOutcome, GateResult, GateRule, Verdict } from "./schema.js";

export interface GateInputs {
  /** The challenger's metrics. */
  metrics: MetricValues;
  champion?: MetricValues;
  /** Per metric: the raw evidence of challenger - champion (paired counts or bootstrap quantiles). */
  tests: Record<string, { evidence?: Evidence }>;
}

export interface GateOptions {
  /** One-sided level of the bounds on a maxDrop/maxIncrease degradation. */
  significance: number;
  task: Task;
  /** What an inconclusive delta gate does to `passed` (a gate's own setting wins); default fail. */
  onInconclusive?: OnInconclusive;
  /** A delta gate without evidence is refused instead of judged on the observed change alone. */
  requireEvidence?: boolean;
}

// Metric values that print as equal (0.9 - 0.89 vs 0.01) must compare as equal, not fail by 1e-17.
const TOLERANCE = 1e-12;
// 80% power: rows needed = (z(1 - alpha) + z(0.8))^2 x row variance / room^2 (6.2 x at the 5% level).
const POWER = 0.8;

function ruleOf(gate: Gate): { rule: GateRule; threshold: number } {
  if ("min" in gate) return { rule: "min", threshold: gate.min };
  if ("max" in gate) return { rule: "max", threshold: gate.max };
  if ("maxDrop" in gate) return { rule: "maxDrop", threshold: gate.maxDrop };
  return { rule: "maxIncrease", threshold: gate.maxIncrease };
}

const show = (x: number): string => String(Number(x.toPrecision(3)));
const percent = (alpha: number): string => `${Number(((1 - alpha) * 100).toPrecision(4))}%`;

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
  return { metric: gate.metric, rule, value, threshold, outcome: passed ? "pass" : "fail", passed, reason };
}

interface Degradation {
  metric: string;
  rule: "maxDrop" | "maxIncrease";
  margin: number;
  change: number;
  /** "0.91 -> 0.89" */
  values: string;
}

/**
 * Non-inferiority with three outcomes: pass when the upper bound of the degradation is within the
 * margin; fail when the observed degradation is beyond it and the lower bound is above 0 (it got worse
 * for sure, and by more than allowed as far as we can see); inconclusive otherwise.
 */
function judgeDegradation(d: Degradation, evidence: Evidence, alpha: number) {
  const delta = boundsOf(evidence, alpha);
  // Bounds of the degradation: for a drop, minus the bounds of challenger - champion, swapped.
  const [lower, upper] = d.rule === "maxDrop" ? [-delta.upper, -delta.lower] : [delta.lower, delta.upper];
  const noun = d.rule === "maxDrop" ? "drop" : "increase";
  const at = `${percent(alpha)} bound`;
  const observed =
    d.change > 0
      ? `${d.metric} ${d.rule === "maxDrop" ? "dropped" : "rose"} by ${show(d.change)} (${d.values})`
      : `${d.metric} did not get worse (${d.values})`;
  const common = { ci: [lower, upper] as [number, number], certified: Math.max(0, upper) };
  if (upper - d.margin <= TOLERANCE) {
    const reason = `${observed}; the ${noun} is at most ${show(upper)} (${at}), within ${d.rule} ${show(d.margin)}`;
    return { outcome: "pass" as GateOutcome, ...common, reason };
  }
  if (d.change - d.margin > TOLERANCE && lower > 0) {
    const reason = `${observed}, beyond ${d.rule} ${show(d.margin)}, and it is worse for sure: the ${noun} is at least ${show(lower)} (${at})`;
    return { outcome: "fail" as GateOutcome, ...common, reason };
  }
  const room = d.margin - d.change;
  const z = normalQuantile(1 - alpha) + normalQuantile(POWER);
  const rowsNeeded = room > TOLERANCE ? Math.ceil((z * z * rowVariance(evidence)) / (room * room)) : null;
  const more =
    rowsNeeded === null
      ? "more rows cannot make it pass: the observed change is already at or beyond the margin"
      : `about ${rowsNeeded.toLocaleString("en-US")} test rows would tell`;
  const reason = `${observed}, but the ${noun} could be as large as ${show(upper)} (${at}), beyond ${d.rule} ${show(d.margin)}: this test set cannot tell; ${more}`;
  return { outcome: "inconclusive" as GateOutcome, ...common, rowsNeeded, reason };
}

function relative(
  gate: Gate,
  rule: "maxDrop" | "maxIncrease",
  threshold: number,
  value: number,
  inputs: GateInputs,
  options: GateOptions,
  field: string,
): GateResult {
  const base = { metric: gate.metric, rule, threshold };
  const championValue = inputs.champion?.[gate.metric];
  if (championValue === undefined) {
    return { ...base, value: 0, outcome: "pass", passed: true, reason: "no champion to compare" };
  }
  const change = rule === "maxDrop" ? championValue - value : value - championValue;
  const d = {
    metric: gate.metric,
    rule,
    margin: threshold,
    change,
    values: `${show(championValue)} -> ${show(value)}`,
  };
  const evidence = inputs.tests[gate.metric]?.evidence;
  if (!evidence) {
    if (options.requireEvidence) {
      throw new UserError(
        `the report has no evidence for ${gate.metric}, so the ${rule} gate cannot be judged`,
        {
          field,
        },
      );
    }
    // Monitoring compares with a stored baseline: no paired rows, so the observed change alone decides.
    const passed = change - threshold <= TOLERANCE;
    const reason = `${gate.metric} changed by ${show(change)} (${d.values}), ${passed ? "within" : "beyond"} ${rule} ${show(threshold)}; no paired test available`;
    return { ...base, value: change, outcome: passed ? "pass" : "fail", passed, reason };
  }
  const judged = judgeDegradation(d, evidence, options.significance);
  const policy =
    ("onInconclusive" in gate ? gate.onInconclusive : undefined) ?? options.onInconclusive ?? "fail";
  const passed = judged.outcome === "pass" || (judged.outcome === "inconclusive" && policy === "pass");
  return { ...base, value: change, ...judged, passed };
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
      : relative(gate, rule, threshold, value, inputs, options, `gates[${i}].${rule}`);
  });
}

/** failed when any gate failed; inconclusive when none failed but an inconclusive one blocks; else passed. */
export function verdictOf(results: readonly GateResult[]): Verdict {
  if (results.some((g) => !g.passed && g.outcome === "fail")) return "failed";
  if (results.some((g) => !g.passed)) return "inconclusive";
  return "passed";
}
