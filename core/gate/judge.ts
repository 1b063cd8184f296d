import type { Gate, OnInconclusive } from "../config/schema.js";
import { UserError } from "../errors.js";
import { getMetric } from "../metrics/index.js";
import type { MetricValues, Task } from "../metrics/schema.js";
import { parseAt } from "../parse.js";
import { deltaOf } from "../stats/index.js";
import { Evidence } from "../stats/schema.js";
import { evaluateGates, verdictOf } from "./evaluate.js";
import type { GateResult, Verdict } from "./schema.js";

/** The gate settings that hold: on a pull request, the base branch's. */
export interface GateRules {
  gates: readonly Gate[];
  significance: number;
  onInconclusive: OnInconclusive;
}

/** What a report says, as far as judging it goes (a parsed report.json satisfies it). */
export interface ReportEvidence {
  task: Task;
  metrics: MetricValues;
  champion?: { metrics: MetricValues };
  deltas: Record<string, { delta: number; evidence?: unknown }>;
  data?: { test?: { rows: number } };
}

export interface Judged {
  gates: GateResult[];
  outcome: Verdict;
  passed: boolean;
}

// Metrics are ratios of counts up to a few thousand rows: float noise stays far below this.
const SAME = 1e-9;

/**
 * The evidence of each delta, checked against the report's own metrics, so a report cannot pair real
 * metrics with evidence that says something else. Throws a UserError naming the field.
 */
export function checkEvidence(report: ReportEvidence): Record<string, { evidence: Evidence }> {
  const checked: Record<string, { evidence: Evidence }> = {};
  for (const [name, entry] of Object.entries(report.deltas)) {
    if (entry.evidence === undefined) continue;
    const field = `deltas.${name}.evidence`;
    const evidence = parseAt(Evidence, entry.evidence, { what: `${field} is not valid evidence`, field });
    const refuse = (what: string) => {
      throw new UserError(`the evidence contradicts the report: ${what}`, { field });
    };
    const metric = getMetric(report.task, name);
    if (!metric) refuse(`${name} is not a ${report.task} metric`);
    const kind = metric!.pairedTest === "score" ? "paired" : "bootstrap";
    if (evidence.kind !== kind) refuse(`${name} is judged by ${kind} evidence, found ${evidence.kind}`);
    const [now, before] = [report.metrics[name], report.champion?.metrics[name]];
    if (now === undefined || before === undefined)
      refuse(`${name} is missing from the metrics or the champion's`);
    const observed = now! - before!;
    if (Math.abs(entry.delta - observed) > SAME)
      refuse(`${name}'s delta ${entry.delta} is not ${now} - ${before}`);
    const rows = evidence.kind === "paired" ? evidence.n : evidence.rows;
    const testRows = report.data?.test?.rows;
    if (testRows !== undefined && rows !== testRows)
      refuse(`${rows} rows, but the test data has ${testRows}`);
    if (evidence.kind === "paired") {
      const implied = deltaOf(evidence)!;
      if (Math.abs(implied - observed) > SAME) {
        refuse(
          `${evidence.challengerOnly} - ${evidence.championOnly} rows of ${evidence.n} is not a change of ${observed}`,
        );
      }
    } else {
      const q = evidence.quantiles;
      const slack = (x: number) => 1e-8 * (1 + Math.abs(x));
      if (observed < q[0]! - slack(q[0]!) || observed > q[q.length - 1]! + slack(q[q.length - 1]!)) {
        refuse(`the observed change ${observed} lies outside every resample [${q[0]}, ${q[q.length - 1]}]`);
      }
      if (evidence.discordant === 0 && (observed !== 0 || q.some((x) => x !== 0))) {
        refuse("no row differs between the models, yet the metric changed");
      }
    }
    checked[name] = { evidence };
  }
  return checked;
}

/**
 * Re-judges a report with trusted gate settings: only the metrics and the raw evidence are read;
 * the report's own gates, bounds and verdict are ignored. A delta gate whose metric has no evidence,
 * or evidence that contradicts the metrics, is a UserError.
 */
export function judgeReport(report: ReportEvidence, rules: GateRules): Judged {
  const gates = evaluateGates(
    rules.gates,
    { metrics: report.metrics, champion: report.champion?.metrics, tests: checkEvidence(report) },
    {
      significance: rules.significance,
      task: report.task,
      onInconclusive: rules.onInconclusive,
      requireEvidence: true,
    },
  );
  const outcome = verdictOf(gates);
  return { gates, outcome, passed: outcome === "passed" };
}
