import { escapeMarkdown } from "../report/escape.js";
import type { DriftColumn, DriftResult, LiveMetrics } from "./schema.js";

/** Charts shown in a summary at most; the drifted columns come first. */
const CHARTS = 6;

const num = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : "∞");
const pval = (p: number | undefined) => (p === undefined ? "" : p < 0.0001 ? "< 0.0001" : num(p));
const name = (text: string) => `\`${escapeMarkdown(text, 80).replace(/`/g, "&#96;")}\``;

/** The headline a summary, an issue and a pull request share. */
export function verdictLine(result: DriftResult): string {
  const drifted = result.columns.filter((c) => c.drift).length;
  const parts = [
    `${result.drift ? "**Dataset drift**" : "No dataset drift"}: ${drifted} of ${result.columns.length} columns drifted ` +
      `(share ${num(result.share)}, threshold ${num(result.threshold)})`,
  ];
  if (result.prediction) parts.push(result.prediction.drift ? "**prediction drift**" : "predictions stable");
  const p = result.performance;
  if (p) {
    parts.push(
      p.tooFewLabels
        ? `**too few labels** to judge performance (${p.labelled} of ${p.minLabels} needed)`
        : p.degraded
          ? "**performance degraded**"
          : "performance holds",
    );
  }
  return parts.join("; ");
}

/** The job summary / issue body: verdict, per-column table, notes, charts. */
export function renderDriftMarkdown(result: DriftResult, title = "modelgate drift"): string {
  const lines = [`## ${escapeMarkdown(title)}`, "", verdictLine(result), ""];
  lines.push(
    `Reference ${result.rows.reference} rows, current ${result.rows.current} rows, method ${result.method}.`,
    "",
  );
  lines.push(
    "| column | method | statistic | p-value | threshold | effect | drift |",
    "|---|---|---|---|---|---|---|",
  );
  const rows = result.prediction ? [...result.columns, result.prediction] : result.columns;
  for (const c of rows) lines.push(columnRow(c));
  lines.push("");
  const notes = [
    ...result.missingColumns.map((c) => `- ${name(c)} is missing from current data`),
    ...result.newColumns.map((c) => `- ${name(c)} is new in current data`),
    ...result.skipped.map((s) => `- ${name(s.column)} not compared: ${escapeMarkdown(s.reason)}`),
    ...rows.flatMap((c) => columnNotes(c)),
  ];
  if (notes.length > 0) lines.push("### Notes", "", ...notes, "");
  if (result.performance) lines.push(...performanceSection(result.performance));
  const charted = [...rows]
    .sort((a, b) => Number(b.drift) - Number(a.drift))
    .filter((c) => c.chart)
    .slice(0, CHARTS);
  for (const c of charted) lines.push(...mermaidChart(c));
  return `${lines.join("\n")}\n`;
}

function columnRow(c: DriftColumn): string {
  const least = c.minEffect === undefined ? "" : `, min ${num(c.minEffect)}`;
  const effect = `${num(c.effectSize)} (${c.effectMeasure}${least})`;
  const cells = [
    name(c.column),
    c.method,
    num(c.statistic),
    pval(c.pValue),
    num(c.threshold),
    effect,
    c.drift ? "🔴 yes" : "no",
  ];
  return `| ${cells.join(" | ")} |`;
}

function columnNotes(c: DriftColumn): string[] {
  const notes: string[] = [];
  if (c.unseen) {
    const values = c.unseen.map((u) => `${escapeMarkdown(u.value, 40)} (${u.count})`).join(", ");
    notes.push(`- ${name(c.column)}: values the reference never had: ${values}`);
  }
  for (const [label, key] of [
    ["NaN", "nan"],
    ["infinite", "inf"],
  ] as const) {
    if (c.current[key] > 0 || c.reference[key] > 0) {
      notes.push(
        `- ${name(c.column)}: ${label} values ${c.reference[key]} in the reference, ${c.current[key]} in current`,
      );
    }
  }
  const share = (s: DriftColumn["current"]) => (s.count > 0 ? s.missing / s.count : 0);
  if (Math.abs(share(c.current) - share(c.reference)) >= 0.05) {
    notes.push(
      `- ${name(c.column)}: missing ${num(share(c.reference))} of rows in the reference, ${num(share(c.current))} in current`,
    );
  }
  return notes;
}

function performanceSection(p: LiveMetrics): string[] {
  const lines = [
    "### Live performance",
    "",
    `${p.labelled} predictions labelled (joined on \`${escapeMarkdown(p.key, 40)}\`), ${p.unlabelled} still unlabelled, ${p.missingIds} labels with ids not in the log` +
      (p.unknownLabels > 0 ? `, ${p.unknownLabels} labels outside the model's classes` : "") +
      ".",
    "",
    "| metric | live | training |",
    "|---|---|---|",
    ...Object.entries(p.metrics).map(
      ([m, v]) => `| ${m} | ${num(v)} | ${p.baseline[m] === undefined ? "" : num(p.baseline[m])} |`,
    ),
    "",
  ];
  if (p.gates.length > 0) {
    lines.push(...p.gates.map((g) => `- ${g.passed ? "✅" : "❌"} ${escapeMarkdown(g.reason)}`), "");
  }
  return lines;
}

/** A mermaid xychart: reference shares as bars, current as a line (GitHub renders mermaid blocks). */
function mermaidChart(c: DriftColumn): string[] {
  const chart = c.chart!;
  const label = (text: string) => `"${text.replace(/[^\w .<=>+-]/g, "_").slice(0, 24)}"`;
  const top = Math.min(1, Math.max(...chart.reference, ...chart.current) * 1.1 || 1);
  return [
    `<details${c.drift ? " open" : ""}><summary>${name(c.column)}: reference (bars) vs current (line)</summary>`,
    "",
    "```mermaid",
    "xychart-beta",
    `  title ${label(c.column)}`,
    `  x-axis [${chart.labels.map(label).join(", ")}]`,
    `  y-axis "share of rows" 0 --> ${num(top)}`,
    `  bar [${chart.reference.join(", ")}]`,
    `  line [${chart.current.join(", ")}]`,
    "```",
    "",
    "</details>",
    "",
  ];
}
