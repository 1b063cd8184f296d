import * as cells from "./cells.js";
import { dataChanged, diffLines, diffRows, shownShifts } from "./data-diff.js";
import { escapeHtml as esc } from "./escape.js";
import {
  classesBySupport,
  describeRule,
  formatCount,
  formatDuration,
  formatNumber,
  reportOutcome,
} from "./format.js";
import { status } from "./html-icons.js";
import { HTML_STYLE } from "./html-style.js";
import type { Report } from "./schema.js";
import { confusionHeatmapSvg, HEATMAP_CLASSES, metricBarsSvg, trainingCurveSvg } from "./svg.js";

/** Nothing may be fetched: no scripts, fonts, stylesheets or images other than inline ones. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const NAME = 120;
const TEXT = 2000;
const dash = "–";

/** Cells are already-escaped HTML. The first cell of each row is its header. */
function table(head: string[], rows: string[][], caption?: string, textColumns: number[] = []): string {
  const cls = (i: number) => (textColumns.includes(i) ? ' class="mg-text"' : "");
  const th = head.map((h, i) => `<th scope="col"${i === 0 ? ' class="mg-text"' : cls(i)}>${h}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td${cls(i)}>${c}</td>`)).join("")}</tr>`,
    )
    .join("\n");
  const cap = caption ? `<caption>${caption}</caption>` : "";
  return `<div class="mg-scroll"><table>${cap}<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** Charts never shrink below legible text (svg-parts.ts); past that, their box scrolls, not the page. */
const figure = (chart: string) => chart && `<div class="mg-scroll mg-figure">\n${chart}\n</div>`;

const section = (id: string, title: string, ...body: string[]) =>
  `<section id="${id}" aria-labelledby="${id}-title">\n<h2 id="${id}-title">${title}</h2>\n${body.filter(Boolean).join("\n")}\n</section>`;

function verdict(report: Report): string {
  const model = esc(report.model, NAME);
  const names = (gates: Report["gates"]) =>
    gates.map((g) => `${esc(g.metric, NAME)} (${describeRule(g.rule, g.threshold)})`).join(", ");
  const outcome = reportOutcome(report);
  if (outcome === "passed") {
    const n = report.gates.length;
    const summary =
      n === 0 ? "No gates configured." : n === 1 ? "The one gate passed." : `All ${n} gates passed.`;
    return `<header class="mg-verdict mg-pass"><h1>${status("pass", "Passed")}: ${model}</h1><p>${summary}</p></header>`;
  }
  const [failed, unsure] = [cells.blockingGates(report, "fail"), cells.blockingGates(report, "inconclusive")];
  const total = report.gates.length;
  const lines: string[] = [];
  if (failed.length) lines.push(`<p>Failed ${failed.length} of ${total} gates: ${names(failed)}.</p>`);
  if (unsure.length) {
    lines.push(
      `<p>Inconclusive on ${unsure.length} of ${total} gates: ${names(unsure)}. This test set cannot tell whether the change is within the allowed margin; see the rows needed below.</p>`,
    );
  }
  if (report.override) {
    lines.unshift(
      `<p>Regression accepted by <strong>${esc(report.override.by, NAME)}</strong> at ${esc(report.override.at)}: ${esc(report.override.reason, TEXT)}</p>`,
    );
    return `<header class="mg-verdict mg-override"><h1>${status("warn", "Regression accepted")}: ${model}</h1>${lines.join("")}</header>`;
  }
  if (outcome === "inconclusive") {
    return `<header class="mg-verdict mg-override"><h1>${status("warn", "Inconclusive")}: ${model}</h1>${lines.join("")}</header>`;
  }
  return `<header class="mg-verdict mg-fail"><h1>${status("fail", "Failed")}: ${model}</h1>${lines.join("")}</header>`;
}

function metrics(report: Report): string {
  const champion = report.champion?.metrics;
  const label = (name: string) =>
    `${esc(name, NAME)}${name === report.primaryMetric ? ' <span class="mg-muted">(primary)</span>' : ""}`;
  const rows = cells.metricRows(report).map(({ name, numbers }) => [label(name), ...numbers]);
  const head = cells.metricHeads(report);
  const version = report.champion?.version;
  const caption =
    version !== undefined
      ? `Champion: version ${esc(String(version), NAME)}`
      : !champion && report.baseline?.kind === "first"
        ? "First model: no comparison (the registry has no champion yet)."
        : !champion && report.baseline?.kind === "none"
          ? "No comparison (champion: none)."
          : undefined;
  return section("metrics", "Metrics", table(head, rows, caption), figure(metricBarsSvg(report)));
}

function gates(report: Report): string {
  if (report.gates.length === 0) return section("gates", "Gates", "<p>No gates configured.</p>");
  const cell = {
    pass: status("pass", "pass"),
    fail: status("fail", "fail"),
    inconclusive: status("warn", "inconclusive"),
  };
  const rows = report.gates.map((g) => [
    esc(g.metric, NAME),
    cells.outcomeCell(g, cell),
    ...cells.gateNumbers(g),
    esc(g.reason, TEXT),
  ]);
  const head = ["Metric", "Outcome", ...cells.gateNumberHeads(report), "Why"];
  return section("gates", "Gates", table(head, rows, undefined, [7]));
}

function confusion(report: Report): string {
  const classes = report.classes ?? [];
  const matrix = report.confusionMatrix;
  if (!matrix || classes.length === 0) return "";
  const all = classes.map((_, i) => i);
  const cut = classes.length > HEATMAP_CLASSES;
  const shown = cut
    ? classesBySupport(report)
        .slice(0, HEATMAP_CLASSES)
        .sort((a, b) => a - b)
    : all;
  const note = cut
    ? `<p class="mg-note">Showing the ${HEATMAP_CLASSES} classes with the most test rows; ${classes.length - HEATMAP_CLASSES} of ${classes.length} classes left out of the chart and table. Per-class metrics below list every class.</p>`
    : "";
  const name = (i: number) => esc(classes[i] ?? String(i), NAME);
  const rows = shown.map((r) => [name(r), ...shown.map((c) => formatCount(matrix[r]?.[c] ?? 0))]);
  const tbl = table(
    ["actual ↓ / predicted →", ...shown.map(name)],
    rows,
    "Rows: actual class; columns: predicted class.",
  );
  return section("confusion", "Confusion matrix", note, figure(confusionHeatmapSvg(report, shown)), tbl);
}

function perClass(report: Report): string {
  const rows = (report.perClass ?? []).map((c) => [esc(c.class, NAME), ...cells.classNumbers(c)]);
  if (rows.length === 0) return "";
  return section("per-class", "Per-class metrics", table(["Class", ...cells.CLASS_NUMBER_HEADS], rows));
}

function data(report: Report): string {
  const rows = cells.dataParts(report).map((part) => {
    const fp = `<code title="${esc(part.fingerprint)}">${esc(part.short)}</code>`;
    return [part.split, part.rows, fp, part.file ? esc(part.file, TEXT) : dash];
  });
  const changes = report.data.changes ?? [];
  const list = changes.length
    ? `<p>What changed:</p><ul>${changes.map((c) => `<li>${esc(c, TEXT)}</li>`).join("")}</ul>`
    : "";
  if (rows.length === 0 && !list) return "";
  return section("data", "Data", rows.length ? table(cells.DATA_HEADS, rows, undefined, [3]) : "", list);
}

function dataDiff(report: Report): string {
  const diff = report.data.diff;
  if (!diff || !dataChanged(diff)) return "";
  const { head, rows } = diffRows(diff);
  const { shown, more } = shownShifts(diff);
  const shifts = shown.map((s) => `<li><code>${esc(s.column, NAME)}</code>: ${esc(s.change, TEXT)}</li>`);
  if (more > 0) shifts.push(`<li>and ${formatCount(more)} more</li>`);
  return section(
    "data-diff",
    "Data changed since the champion",
    table(
      head,
      rows.map((row) => row.map((cell) => esc(cell))),
    ),
    shifts.length ? `<p>Shifted columns:</p><ul>${shifts.join("")}</ul>` : "",
    ...diffLines(diff).map((line) => `<p>${esc(line, TEXT)}</p>`),
  );
}

function curve(report: Report): string {
  const chart = trainingCurveSvg(report);
  if (!chart) return "";
  const last = report.history?.at(-1);
  const summary = last
    ? `<p>Last epoch ${last.epoch}: loss ${formatNumber(last.loss)}${last.valLoss === undefined ? "" : `, validation loss ${formatNumber(last.valLoss)}`}${last.metric === undefined ? "" : `, metric ${formatNumber(last.metric)}`}.</p>`
    : "";
  return section("training", "Training curve", figure(chart), summary);
}

function run(report: Report): string {
  const items: [string, string][] = [];
  const r = report.run;
  if (r) {
    items.push(["Run", esc(r.id, NAME)]);
    if (r.commit)
      items.push(["Commit", `<code>${esc(r.commit)}</code>${r.dirty ? " (uncommitted changes)" : ""}`]);
    items.push(
      ["Backend", esc(r.backend, NAME)],
      ["Duration", formatDuration(r.durationMs)],
      ["Started", esc(r.startedAt)],
    );
  }
  if (report.champion?.source) items.push(["Champion from", esc(report.champion.source, TEXT)]);
  items.push(["Task", report.task], ["Report generated", esc(report.generatedAt)]);
  return section("run", "Run", `<dl>${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>`);
}

/** One self-contained page: inline CSS and SVG, no script, nothing fetched. */
export function renderHtml(report: Report): string {
  const parts = [
    verdict(report),
    dataDiff(report),
    gates(report),
    metrics(report),
    confusion(report),
    perClass(report),
    data(report),
    curve(report),
    run(report),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<title>modelgate report: ${esc(report.model, NAME)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<main>
${parts.filter(Boolean).join("\n")}
</main>
</body>
</html>
`;
}
