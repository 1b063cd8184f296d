import { markdownTable } from "markdown-table";
import { rankTrials, succeeded } from "./objective.js";
import type { Params, TrialSuccess, TuneResult } from "./schema.js";

function fmt(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return JSON.stringify(v) ?? "";
}

/** The sweep for a terminal, a report or a job summary: the table, then the chart. */
export function renderSweepMarkdown(result: TuneResult): string {
  const lines = [
    `### Hyperparameter sweep: ${result.metric} (${result.direction === "max" ? "higher" : "lower"} is better)`,
    "",
    sweepTable(result),
    "",
    ...scoredOn(result),
  ];
  const chart = sweepChart(result);
  if (chart) lines.push(chart, "");
  return `${lines.join("\n")}\n`;
}

/** What the trials were scored on, and the one score on the test rows. */
function scoredOn(result: TuneResult): string[] {
  const lines = [
    `Trials are scored on a validation share of the training rows; the test rows are not read during the search.${result.epochs === undefined ? "" : ` Epochs trained by all trials: ${result.epochs}.`}`,
    "",
  ];
  if (result.test && result.best) {
    const value = result.test.metrics[result.metric];
    lines.push(
      `Best params (trial ${result.best.index}) retrained on all training rows, scored once on the test rows: **${result.metric} ${value === undefined ? "not defined" : fmt(value)}** (run ${result.test.run}).`,
      "",
    );
  }
  return lines;
}

/** Params whose value is not the same in every trial. */
export function varyingParams(result: TuneResult): string[] {
  const keys = [...new Set(result.trials.flatMap((t) => Object.keys(t.params)))];
  return keys.filter((key) => new Set(result.trials.map((t) => JSON.stringify(t.params[key]))).size > 1);
}

function sweepTable(result: TuneResult): string {
  const keys = varyingParams(result);
  const header = ["rank", "trial", ...keys, result.metric, "run"];
  const rows = rankTrials(result.trials, result).map((trial, rank) => [
    succeeded(trial) ? (trial.pruned ? "pruned" : String(rank + 1)) : "–",
    String(trial.index),
    ...keys.map((key) => fmt(trial.params[key])),
    succeeded(trial)
      ? `${fmt(trial.metrics[result.metric])}${trial.pruned ? ` (${trial.epochs ?? "?"} epochs)` : ""}`
      : `failed: ${oneLine(trial.error)}`,
    succeeded(trial) ? trial.run : "",
  ]);
  return markdownTable([header, ...rows]);
}

/**
 * The metric against the param that moves it most: |Spearman rank correlation| for numeric params,
 * the correlation ratio (eta) for the others (lists such as `hidden`, names such as `activation`).
 */
export function mostInfluential(result: TuneResult): { key: string; strength: number } | undefined {
  const done = result.trials.filter(succeeded).filter((t) => Number.isFinite(t.metrics[result.metric]));
  let best: { key: string; strength: number } | undefined;
  for (const key of varyingParams(result)) {
    const values = done.map((t) => t.params[key]);
    const metric = done.map((t) => t.metrics[result.metric]!);
    if (new Set(values.map((v) => JSON.stringify(v))).size < 2) continue;
    const strength = values.every((v) => typeof v === "number")
      ? Math.abs(spearman(values as number[], metric))
      : eta(
          values.map((v) => JSON.stringify(v)),
          metric,
        );
    if (Number.isFinite(strength) && (!best || strength > best.strength)) best = { key, strength };
  }
  return best;
}

function sweepChart(result: TuneResult): string | undefined {
  const influential = mostInfluential(result);
  if (!influential) return undefined;
  const { key } = influential;
  const done = result.trials.filter(succeeded);
  const numeric = done.every((t) => typeof t.params[key] === "number");
  const groups = groupBy(done, (t) => t.params[key]);
  const order = [...groups.keys()].sort((a, b) =>
    numeric ? Number(JSON.parse(a)) - Number(JSON.parse(b)) : a.localeCompare(b),
  );
  // Trials that share a value show their mean, so a repeated value is one point.
  const means = order.map((k) => mean(groups.get(k)!.map((t) => t.metrics[result.metric]!)));
  const label = (s: string) => `"${fmt(JSON.parse(s)).replaceAll('"', "'")}"`;
  return [
    "```mermaid",
    "xychart-beta",
    `  title "${result.metric} vs ${key}"`,
    `  x-axis "${key}" [${order.map(label).join(", ")}]`,
    `  y-axis "${result.metric}"`,
    `  ${numeric ? "line" : "bar"} [${means.map((m) => Number(m.toPrecision(4))).join(", ")}]`,
    "```",
  ].join("\n");
}

function groupBy(
  trials: TrialSuccess[],
  of: (t: TrialSuccess) => Params[string],
): Map<string, TrialSuccess[]> {
  const groups = new Map<string, TrialSuccess[]>();
  for (const trial of trials) {
    const k = JSON.stringify(of(trial));
    groups.set(k, [...(groups.get(k) ?? []), trial]);
  }
  return groups;
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Average ranks (ties share their mean rank), as Spearman's rho needs. */
function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

function spearman(x: number[], y: number[]): number {
  const [rx, ry] = [ranks(x), ranks(y)];
  const [mx, my] = [mean(rx), mean(ry)];
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

function eta(groups: string[], y: number[]): number {
  const total = mean(y);
  const byGroup = new Map<string, number[]>();
  for (const [i, g] of groups.entries()) byGroup.set(g, [...(byGroup.get(g) ?? []), y[i]!]);
  const between = [...byGroup.values()].reduce((s, v) => s + v.length * (mean(v) - total) ** 2, 0);
  const all = y.reduce((s, v) => s + (v - total) ** 2, 0);
  return all === 0 ? 0 : Math.sqrt(between / all);
}

function oneLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return (line.length > 120 ? `${line.slice(0, 117)}...` : line).replaceAll("|", "\\|");
}
