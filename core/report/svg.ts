import { escapeHtml as esc } from "./escape.js";
import { downsample, formatNumber, metricNames } from "./format.js";
import type { Report } from "./schema.js";

/**
 * Charts drawn here as inline SVG, so the HTML report needs no script and makes no request.
 * Every chart is `<svg class="mg-chart" data-chart="...">` with a `<title>` for screen readers.
 */

/** More points than this add bytes, not information, at this width. */
export const CURVE_POINTS = 200;
/** A heatmap wider than this is unreadable; the most frequent classes are drawn. */
export const HEATMAP_CLASSES = 50;

const round = (n: number) => Math.round(n * 10) / 10;

function svg(chart: string, width: number, height: number, title: string, body: string[]): string {
  const id = `mg-chart-${chart}`;
  // Never drawn larger than designed, so a small heatmap keeps its font size on a wide screen.
  const size = `viewBox="0 0 ${width} ${height}" style="max-width:${width}px"`;
  return [
    `<svg class="mg-chart" data-chart="${chart}" ${size} role="img" aria-labelledby="${id}">`,
    `<title id="${id}">${title}</title>`,
    ...body,
    "</svg>",
  ].join("\n");
}

interface Series {
  name: string;
  label: string;
  values: { x: number; y: number }[];
}

export function trainingCurveSvg(report: Report): string {
  const history = downsample(report.history ?? [], CURVE_POINTS);
  if (history.length === 0) return "";
  const series: Series[] = [
    { name: "loss", label: "training loss", values: history.map((h) => ({ x: h.epoch, y: h.loss })) },
  ];
  const withVal = history.filter((h) => h.valLoss !== undefined);
  if (withVal.length) {
    series.push({
      name: "val-loss",
      label: "validation loss",
      values: withVal.map((h) => ({ x: h.epoch, y: h.valLoss! })),
    });
  }
  const [width, height, left, right, top, bottom] = [640, 300, 56, 16, 16, 44];
  const xs = history.map((h) => h.epoch);
  const ys = series.flatMap((s) => s.values.map((v) => v.y));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [yMin, yMax] = [Math.min(0, ...ys), Math.max(...ys)];
  const sx = (x: number) => round(left + ((x - xMin) / (xMax - xMin || 1)) * (width - left - right));
  const sy = (y: number) => round(top + (1 - (y - yMin) / (yMax - yMin || 1)) * (height - top - bottom));

  const body = [
    `<line class="mg-axis" x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}"/>`,
    `<line class="mg-axis" x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}"/>`,
    ...[yMin, (yMin + yMax) / 2, yMax].map(
      (y) =>
        `<text class="mg-tick" x="${left - 6}" y="${sy(y) + 4}" text-anchor="end">${formatNumber(y)}</text>`,
    ),
    `<text class="mg-tick" x="${sx(xMin)}" y="${height - bottom + 16}" text-anchor="middle">${xMin}</text>`,
    `<text class="mg-tick" x="${sx(xMax)}" y="${height - bottom + 16}" text-anchor="middle">${xMax}</text>`,
    `<text class="mg-label" x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle">epoch</text>`,
  ];
  series.forEach((s, i) => {
    const d = s.values.map((v, j) => `${j ? "L" : "M"}${sx(v.x)} ${sy(v.y)}`).join(" ");
    body.push(`<path class="mg-line mg-series-${i}" data-series="${s.name}" d="${d}"/>`);
    for (const v of s.values) {
      body.push(
        `<circle class="mg-point mg-series-${i}" data-series="${s.name}" cx="${sx(v.x)}" cy="${sy(v.y)}" r="2.5"><title>epoch ${v.x}: ${s.label} ${formatNumber(v.y)}</title></circle>`,
      );
    }
    const lx = left + 12 + i * 150;
    body.push(
      `<rect class="mg-swatch mg-series-${i}" x="${lx}" y="${top}" width="12" height="12"/>`,
      `<text class="mg-label" x="${lx + 18}" y="${top + 11}">${s.label}</text>`,
    );
  });
  return svg("training-curve", width, height, "Training and validation loss by epoch", body);
}

/**
 * One row per metric, champion over challenger. Metrics live on different scales (accuracy vs rmse),
 * so each row is scaled to its own largest value and the numbers are written beside the bars.
 */
export function metricBarsSvg(report: Report): string {
  const names = metricNames(report);
  if (names.length === 0) return "";
  const champion = report.champion?.metrics;
  const [width, left, barWidth, bar, gap] = [640, 170, 380, 14, 14];
  const rowHeight = (champion ? 2 : 1) * bar + gap + 4;
  const height = names.length * rowHeight + 28;
  const body: string[] = [];
  const legend = champion ? ["champion", "challenger"] : ["challenger"];
  legend.forEach((label, i) => {
    body.push(
      `<rect class="mg-swatch mg-${label}" x="${left + i * 120}" y="4" width="12" height="12"/>`,
      `<text class="mg-label" x="${left + i * 120 + 18}" y="15">${label}</text>`,
    );
  });
  names.forEach((name, row) => {
    const y = 28 + row * rowHeight;
    const values = [
      ...(champion ? [["champion", champion[name]] as const] : []),
      ["challenger", report.metrics[name]] as const,
    ];
    const scale = Math.max(...values.map(([, v]) => Math.abs(v ?? 0))) || 1;
    body.push(
      `<text class="mg-label" x="${left - 8}" y="${y + bar}" text-anchor="end">${esc(name, 24)}</text>`,
    );
    values.forEach(([series, value], i) => {
      const by = y + i * bar;
      if (value === undefined) {
        body.push(`<text class="mg-tick" x="${left + 4}" y="${by + bar - 3}">no value</text>`);
        return;
      }
      const w = round((Math.abs(value) / scale) * barWidth);
      body.push(
        `<rect class="mg-bar mg-${series}" data-series="${series}" data-metric="${esc(name)}" x="${left}" y="${by}" width="${w}" height="${bar - 2}"><title>${series} ${esc(name)}: ${formatNumber(value)}</title></rect>`,
        `<text class="mg-tick" x="${left + w + 6}" y="${by + bar - 3}">${formatNumber(value)}</text>`,
      );
    });
  });
  return svg("metrics", width, height, "Metrics: champion and challenger", body);
}

/** `shown`: class indices to draw. Shading is the share of each actual class's rows. */
export function confusionHeatmapSvg(report: Report, shown: number[]): string {
  const matrix = report.confusionMatrix;
  const classes = report.classes ?? [];
  if (!matrix || shown.length === 0) return "";
  const n = shown.length;
  const cell = Math.max(8, Math.min(48, Math.floor(480 / n)));
  const label = 110;
  const size = label + n * cell;
  const withCounts = cell >= 28;
  const name = (i: number) => esc(classes[i] ?? String(i), 16);
  const body: string[] = [];
  shown.forEach((r, row) => {
    const counts = shown.map((c) => matrix[r]?.[c] ?? 0);
    const rowTotal = (matrix[r] ?? []).reduce((sum, v) => sum + v, 0) || 1;
    const y = label + row * cell;
    body.push(
      `<text class="mg-tick" x="${label - 4}" y="${y + cell / 2 + 4}" text-anchor="end">${name(r)}</text>`,
    );
    counts.forEach((count, col) => {
      const c = shown[col]!;
      const x = label + col * cell;
      const share = count / rowTotal;
      const kind = r === c ? "mg-hit" : "mg-miss";
      body.push(
        `<rect class="mg-cell ${kind}" data-row="${row}" data-col="${col}" x="${x}" y="${y}" width="${cell}" height="${cell}" fill-opacity="${round(0.08 + share * 0.92)}"><title>actual ${name(r)}, predicted ${name(c)}: ${count}</title></rect>`,
      );
      if (withCounts) {
        body.push(
          `<text class="mg-count${share > 0.5 ? " mg-on-dark" : ""}" x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle">${count}</text>`,
        );
      }
    });
  });
  shown.forEach((c, col) => {
    const x = label + col * cell + cell / 2;
    body.push(
      `<text class="mg-tick" x="${x}" y="${label - 6}" text-anchor="start" transform="rotate(-45 ${x} ${label - 6})">${name(c)}</text>`,
    );
  });
  body.push(`<text class="mg-label" x="4" y="14">rows: actual, columns: predicted</text>`);
  // The extra width leaves room for the last rotated column label.
  return svg(
    "confusion-matrix",
    size + 80,
    size + 8,
    "Confusion matrix heatmap, actual by predicted class",
    body,
  );
}
