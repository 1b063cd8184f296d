import type { GateOutcome, GateResult, GateRule, Report, Verdict } from "./schema.js";

/** Four significant digits, without trailing zeros or exponents for everyday magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e9 || abs < 1e-4) return value.toExponential(3).replace(/\.?0+e/, "e");
  return String(Number(value.toPrecision(4)));
}

/** A change with its sign always shown: `+0.0123`, `-0.5`, `0`. */
export function formatDelta(value: number): string {
  const text = formatNumber(value);
  return value > 0 ? `+${text}` : text;
}

export function formatInterval([lo, hi]: readonly [number, number]): string {
  return `[${formatDelta(lo)}, ${formatDelta(hi)}]`;
}

/** `p=0.003`, `p<0.001`. */
export function formatPValue(p: number): string {
  if (p < 0.001) return "p<0.001";
  return `p=${Number(p.toPrecision(2))}`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const RULE_TEXT: Record<GateRule, string> = {
  min: "at least",
  max: "at most",
  maxDrop: "drop at most",
  maxIncrease: "increase at most",
};

export function describeRule(rule: GateRule, threshold: number): string {
  return `${RULE_TEXT[rule]} ${formatNumber(threshold)}`;
}

/** Challenger metric names first (primary at the top), then any only the champion has. */
export function metricNames(report: Report): string[] {
  const names = [...Object.keys(report.metrics), ...Object.keys(report.champion?.metrics ?? {})];
  const unique = [...new Set(names)];
  return [report.primaryMetric, ...unique.filter((name) => name !== report.primaryMetric)].filter(
    (name) => name in report.metrics || name in (report.champion?.metrics ?? {}),
  );
}

/** Indices of classes ordered by support (largest first); used when a table must be cut. */
export function classesBySupport(report: Report): number[] {
  const matrix = report.confusionMatrix ?? [];
  const support = (report.classes ?? []).map((_, i) => (matrix[i] ?? []).reduce((sum, n) => sum + n, 0));
  return support.map((_, i) => i).sort((a, b) => (support[b] ?? 0) - (support[a] ?? 0) || a - b);
}

/** At most `max` evenly spaced items, always keeping the first and the last. */
export function downsample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]!);
}

export function shortFingerprint(fingerprint: string): string {
  return fingerprint.replace(/^sha256:/, "").slice(0, 12);
}

/** `passed` decides; `outcome` tells a block apart (reports before the three outcomes have only `passed`). */
export function reportOutcome(report: Pick<Report, "outcome" | "passed">): Verdict {
  if (report.passed) return "passed";
  return report.outcome === "inconclusive" ? "inconclusive" : "failed";
}

export function gateOutcome(gate: Pick<GateResult, "outcome" | "passed">): GateOutcome {
  return gate.outcome ?? (gate.passed ? "pass" : "fail");
}

/** "95% bounds" for a one-sided level of 0.05. */
export function boundsLabel(report: Pick<Report, "significance">): string {
  const alpha = report.significance ?? 0.05;
  return `${Number(((1 - alpha) * 100).toPrecision(4))}% bounds`;
}

/** Sample-size guidance of an inconclusive gate, for a table cell. */
export function formatRowsNeeded(gate: Pick<GateResult, "rowsNeeded">): string {
  if (gate.rowsNeeded === undefined) return "–";
  return gate.rowsNeeded === null ? "more rows cannot pass" : `≈ ${formatCount(gate.rowsNeeded)}`;
}
