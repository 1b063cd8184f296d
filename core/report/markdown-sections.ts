import { markdownTable } from "markdown-table";
import * as cells from "./cells.js";
import { dataChanged, diffLines, diffRows, shownShifts } from "./data-diff.js";
import { escapeMarkdown as esc } from "./escape.js";
import {
  describeRule,
  downsample,
  formatCount,
  formatDuration,
  formatNumber,
  reportOutcome,
} from "./format.js";
import type { Report } from "./schema.js";

/** Names shown in the comment are cut to this many characters before escaping. */
export const SHOWN_NAME = 60;
const SHOWN_TEXT = 300;
/** A shifted column's change as modelgate writes it is under 200 characters (kind, missing, mean, a category). */
const SHOWN_CHANGE = 200;
const NAMED_FAILURES = 5;
/** Mermaid draws about this many points legibly; longer curves are sampled evenly. */
const CURVE_POINTS = 60;

const table = (rows: string[][], align?: string[]) => markdownTable(rows, { alignDelimiters: false, align });

export function details(summary: string, body: string, open = false): string {
  return `<details${open ? " open" : ""}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function gateNames(report: Report, outcome: "fail" | "inconclusive"): string {
  const chosen = cells.blockingGates(report, outcome);
  const named = chosen
    .slice(0, NAMED_FAILURES)
    .map((gate) => `${esc(gate.metric, SHOWN_NAME)} (${describeRule(gate.rule, gate.threshold)})`);
  const rest = chosen.length - named.length;
  return named.join(", ") + (rest > 0 ? ` and ${rest} more` : "");
}

/** "failed 1 of 3 gates: accuracy (drop at most 0.02); inconclusive on 1: f1_macro (...)" */
function blocking(report: Report): string {
  const total = report.gates.length;
  const count = (outcome: "fail" | "inconclusive") => cells.blockingGates(report, outcome).length;
  const [failed, unsure] = [count("fail"), count("inconclusive")];
  const parts: string[] = [];
  if (failed)
    parts.push(`failed ${failed} of ${total} gate${total === 1 ? "" : "s"}: ${gateNames(report, "fail")}`);
  if (unsure) {
    parts.push(
      `inconclusive on ${unsure} of ${total} gate${total === 1 ? "" : "s"}: ${gateNames(report, "inconclusive")}`,
    );
  }
  return parts.join("; ") || `failed ${failed} of ${total} gates`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const UNSURE =
  "This test set cannot tell whether the change is within the allowed margin, so the merge is blocked " +
  "(`onInconclusive: fail`). More test rows, a wider margin, or `/modelgate accept-regression` decide it.";

export function verdict(report: Report): string {
  const model = esc(report.model, SHOWN_NAME);
  const total = report.gates.length;
  const outcome = reportOutcome(report);
  if (outcome === "passed") {
    return `### ✅ modelgate: ${model} passed${total ? ` all ${total} gate${total > 1 ? "s" : ""}` : ""}`;
  }
  if (report.override) {
    const by = esc(report.override.by, SHOWN_NAME);
    return [
      `### ⚠️ modelgate: ${model} regression accepted by ${by}: ${esc(report.override.reason, SHOWN_TEXT)}`,
      "",
      capitalised(blocking(report)),
    ].join("\n");
  }
  if (outcome === "inconclusive")
    return `### ❔ modelgate: ${model} inconclusive: ${blocking(report)}\n\n${UNSURE}`;
  return `### ❌ modelgate: ${model} ${blocking(report)}`;
}

export function metricsTable(report: Report): string {
  const label = (name: string) =>
    `${esc(name, SHOWN_NAME)}${name === report.primaryMetric ? " (primary)" : ""}`;
  const rows = cells.metricRows(report).map(({ name, numbers }) => [label(name), ...numbers]);
  const head = cells.metricHeads(report);
  const body = table(
    [head, ...rows],
    head.map((_, i) => (i === 0 ? "l" : "r")),
  );
  if (!report.champion) {
    const said = noComparison(report);
    return (said ? `${said}\n\n` : "") + body;
  }
  const version = report.champion.version;
  const caption = version === undefined ? "" : `\n\nChampion: version ${esc(String(version), SHOWN_NAME)}`;
  return body + caption;
}

/** Nothing to compare is said out loud, never left to an empty column. */
function noComparison(report: Report): string {
  switch (report.baseline?.kind) {
    case "first":
      return "**First model: no comparison.** The registry has no champion yet; only absolute gates (min, max) apply.";
    case "none":
      return "**No comparison** (`champion: none`): only absolute gates (min, max) apply.";
    default:
      return "";
  }
}

const OUTCOME_CELL = { pass: "✅ pass", fail: "❌ fail", inconclusive: "❔ inconclusive" } as const;

/** Per gate: outcome, observed value or change, its bounds, the margin, what the test set certifies, and why. */
export function gatesTable(report: Report): string {
  if (report.gates.length === 0) return "_No gates configured._";
  const rows = report.gates.map((gate) => [
    cells.outcomeCell(gate, OUTCOME_CELL),
    esc(gate.metric, SHOWN_NAME),
    ...cells.gateNumbers(gate),
    esc(gate.reason, SHOWN_TEXT),
  ]);
  const head = ["Outcome", "Metric", ...cells.gateNumberHeads(report), "Why"];
  return table([head, ...rows]);
}

/** `shown`: indices of the classes to include, in display order. */
export function confusionTable(report: Report, shown: number[]): string {
  const classes = report.classes ?? [];
  const matrix = report.confusionMatrix ?? [];
  const name = (i: number) => esc(classes[i] ?? String(i), SHOWN_NAME);
  const head = ["actual ↓ / predicted →", ...shown.map(name)];
  const rows = shown.map((r) => [name(r), ...shown.map((c) => formatCount(matrix[r]?.[c] ?? 0))]);
  return table([head, ...rows], ["l", ...shown.map(() => "r")]);
}

/** `rows`: indices into `report.perClass`, in display order. */
export function perClassTable(report: Report, rows: number[]): string {
  const perClass = report.perClass ?? [];
  const body = rows.flatMap((i) => {
    const row = perClass[i];
    return row ? [[esc(row.class, SHOWN_NAME), ...cells.classNumbers(row)]] : [];
  });
  return table([["Class", ...cells.CLASS_NUMBER_HEADS], ...body], ["l", "r", "r", "r", "r"]);
}

/** "Data changed since the champion": two table rows at most, ten shifted columns at most. */
export function dataDiffSection(report: Report): string {
  const diff = report.data.diff;
  if (!diff || !dataChanged(diff)) return "";
  const { head, rows } = diffRows(diff);
  const parts = [
    "#### Data changed since the champion",
    table(
      [head, ...rows.map((row) => row.map((cell) => esc(cell)))],
      head.map((_, i) => (i === 0 ? "l" : "r")),
    ),
  ];
  const { shown, more } = shownShifts(diff);
  if (shown.length > 0) {
    const list = shown.map((s) => `- **${esc(s.column, SHOWN_NAME)}**: ${esc(s.change, SHOWN_CHANGE)}`);
    if (more > 0) list.push(`- and ${formatCount(more)} more`);
    parts.push(["Shifted columns:", "", ...list].join("\n"));
  }
  const lines = diffLines(diff);
  if (lines.length > 0) parts.push(lines.map((line) => esc(line, SHOWN_TEXT)).join("<br>\n"));
  return parts.join("\n\n");
}

export function dataSummary(report: Report): string {
  const parts: string[] = [];
  const splits = cells
    .dataParts(report)
    .map((part) => [part.split, part.rows, esc(part.short), part.file ? esc(part.file, SHOWN_TEXT) : "–"]);
  if (splits.length) parts.push(table([cells.DATA_HEADS, ...splits], ["l", "r", "l", "l"]));
  const changes = report.data.changes ?? [];
  if (changes.length)
    parts.push(["What changed:", "", ...changes.map((c) => `- ${esc(c, SHOWN_TEXT)}`)].join("\n"));
  return parts.join("\n\n");
}

/** Mermaid numbers: plain decimals, since the xychart grammar does not promise exponents. */
function plain(value: number): string {
  const text = formatNumber(value);
  return /e/.test(text) ? value.toFixed(6).replace(/\.?0+$/, "") || "0" : text;
}

/** A mermaid `xychart-beta` of loss (first line) and validation loss (second line). */
export function trainingCurve(report: Report): string {
  const history = downsample(report.history ?? [], CURVE_POINTS);
  if (history.length === 0) return "";
  const withVal = history.every((point) => point.valLoss !== undefined);
  const lines = [
    "```mermaid",
    "xychart-beta",
    '  title "Training loss by epoch"',
    `  x-axis "epoch" [${history.map((point) => point.epoch).join(", ")}]`,
    '  y-axis "loss"',
    `  line [${history.map((point) => plain(point.loss)).join(", ")}]`,
  ];
  if (withVal) lines.push(`  line [${history.map((point) => plain(point.valLoss ?? 0)).join(", ")}]`);
  lines.push("```");
  const last = history.at(-1)!;
  const legend = withVal
    ? `First line: training loss; second line: validation loss. Last epoch ${last.epoch}: loss ${formatNumber(last.loss)}, validation loss ${formatNumber(last.valLoss ?? 0)}.`
    : `Training loss. Last epoch ${last.epoch}: loss ${formatNumber(last.loss)}.`;
  return `${lines.join("\n")}\n\n${legend}`;
}

export function runDetails(report: Report): string {
  const run = report.run;
  const rows: string[][] = [];
  if (run) {
    rows.push(["Run", esc(run.id, SHOWN_NAME)]);
    if (run.commit)
      rows.push(["Commit", esc(run.commit.slice(0, 12)) + (run.dirty ? " (uncommitted changes)" : "")]);
    rows.push(["Backend", esc(run.backend, SHOWN_NAME)]);
    rows.push(["Duration", formatDuration(run.durationMs)]);
    rows.push(["Started", esc(run.startedAt)]);
  }
  if (report.champion?.source) rows.push(["Champion from", esc(report.champion.source, SHOWN_TEXT)]);
  if (report.override) {
    rows.push([
      "Regression accepted",
      `${esc(report.override.by, SHOWN_NAME)} at ${esc(report.override.at)}`,
    ]);
  }
  rows.push(["Task", report.task]);
  rows.push(["Report generated", esc(report.generatedAt)]);
  return table([["", ""], ...rows], ["l", "l"]);
}
