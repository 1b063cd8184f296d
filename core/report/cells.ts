import {
  boundsLabel,
  describeRule,
  formatCount,
  formatDelta,
  formatInterval,
  formatNumber,
  formatRowsNeeded,
  gateOutcome,
  metricNames,
  shortFingerprint,
} from "./format.js";
import type { GateOutcome, GateResult, Report } from "./schema.js";

// Table cells the comment (Markdown) and the HTML report both show, each escaping its own text around them.

const dash = "–";

/** Per metric: the champion's value, the challenger's, Δ and Δ's bounds; only the challenger's with no champion. */
export function metricRows(report: Report): Array<{ name: string; numbers: string[] }> {
  const champion = report.champion?.metrics;
  const value = (metrics: Record<string, number> | undefined, name: string) => {
    const v = metrics?.[name];
    return v === undefined ? dash : formatNumber(v);
  };
  return metricNames(report).map((name) => {
    if (!champion) return { name, numbers: [value(report.metrics, name)] };
    const delta = Object.hasOwn(report.deltas, name) ? report.deltas[name] : undefined;
    const numbers = [
      value(champion, name),
      value(report.metrics, name),
      delta ? formatDelta(delta.delta) : dash,
      delta ? formatInterval(delta.ci) : dash,
    ];
    return { name, numbers };
  });
}

export function metricHeads(report: Report): string[] {
  return report.champion
    ? ["Metric", "Champion", "Challenger", "Δ", `Δ ${boundsLabel(report)}`]
    : ["Metric", "Challenger"];
}

/** A gate's outcome in the words given (`labels`); an inconclusive gate passed by `onInconclusive` says so. */
export function outcomeCell(gate: GateResult, labels: Record<GateOutcome, string>): string {
  const outcome = gateOutcome(gate);
  return labels[outcome] + (outcome === "inconclusive" && gate.passed ? " (allowed)" : "");
}

/** The gates that block the merge with this outcome, in the report's order. */
export function blockingGates(report: Report, outcome: "fail" | "inconclusive"): GateResult[] {
  return report.gates.filter((gate) => !gate.passed && gateOutcome(gate) === outcome);
}

/** A gate's numbers: its rule, the observed value or change, its bounds, what it certifies, rows needed. */
export function gateNumbers(gate: GateResult): string[] {
  return [
    describeRule(gate.rule, gate.threshold),
    formatNumber(gate.value),
    gate.ci ? formatInterval(gate.ci) : dash,
    gate.certified === undefined ? dash : `≤ ${formatNumber(gate.certified)}`,
    formatRowsNeeded(gate),
  ];
}

export function gateNumberHeads(report: Report): string[] {
  return ["Rule", "Observed", boundsLabel(report), "Certifies", "Rows needed"];
}

type ClassRow = NonNullable<Report["perClass"]>[number];

export const CLASS_NUMBER_HEADS = ["Precision", "Recall", "F1", "Support"];

/** A class's precision, recall, F1 and support. */
export function classNumbers(row: ClassRow): string[] {
  return [
    formatNumber(row.precision),
    formatNumber(row.recall),
    formatNumber(row.f1),
    formatCount(row.support),
  ];
}

export const DATA_HEADS = ["Data", "Rows", "Fingerprint", "File"];

/** The train and test parts the report names: rows, the fingerprint whole and short, the file. */
export function dataParts(report: Report) {
  return (["train", "test"] as const).flatMap((split) => {
    const part = report.data[split];
    if (!part) return [];
    const { fingerprint, file } = part;
    return [{ split, rows: formatCount(part.rows), fingerprint, short: shortFingerprint(fingerprint), file }];
  });
}
