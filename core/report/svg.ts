import { cleanText, escapeHtml as esc } from "./escape.js";
import { downsample, formatNumber, metricNames } from "./format.js";
import type { Report } from "./schema.js";
import {
  LABEL_SIZE,
  legend,
  NARROW_WIDTH,
  niceTicks,
  round,
  svg,
  TICK_SIZE,
  textWidth,
  type Variant,
} from "./svg-parts.js";

/**
 * Charts drawn here as inline SVG, so the HTML report needs no script and makes no request. The training
 * curve and the metric bars come in a wide and a narrow variant (CSS shows one), so their text stays
 * legible on a phone instead of shrinking with the whole picture.
 */

/** More points than this add bytes, not information, at this width. */
export const CURVE_POINTS = 200;
export { confusionHeatmapSvg, HEATMAP_CLASSES } from "./svg-heatmap.js";

const both = (draw: (variant: Variant) => string) => {
  const wide = draw("wide");
  return wide && `${wide}\n${draw("narrow")}`;
};

interface Series {
  name: string;
  label: string;
  values: { x: number; y: number }[];
}

function curveSeries(report: Report): Series[] {
  const history = downsample(report.history ?? [], CURVE_POINTS);
  if (history.length === 0) return [];
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
  return series;
}

export function trainingCurveSvg(report: Report): string {
  const series = curveSeries(report);
  return series.length ? both((variant) => trainingCurve(series, variant)) : "";
}

function trainingCurve(series: Series[], variant: Variant): string {
  const wide = variant === "wide";
  const [width, height, right, bottom] = wide ? [640, 300, 16, 40] : [NARROW_WIDTH, 240, 10, 40];
  const xs = series.flatMap((s) => s.values.map((v) => v.x));
  const ys = series.flatMap((s) => s.values.map((v) => v.y));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(...ys), 5);
  const [yMin, yMax] = [yTicks[0]!, yTicks.at(-1)!];
  const xTicks = niceTicks(xMin, xMax, wide ? 8 : 4, true).filter((x) => x >= xMin && x <= xMax);
  const left = 10 + Math.max(...yTicks.map((y) => textWidth(formatNumber(y), TICK_SIZE)));
  const key = legend(
    series.map((s, i) => ({ label: s.label, swatch: `mg-series-${i}` })),
    left,
    0,
    width - left - right,
  );
  const top = key.height + 10;
  const [plotW, plotH] = [width - left - right, height - top - bottom];
  const sx = (x: number) => round(left + ((x - xMin) / (xMax - xMin || 1)) * plotW);
  const sy = (y: number) => round(top + (1 - (y - yMin) / (yMax - yMin || 1)) * plotH);

  const body = [
    key.markup,
    `<rect class="mg-plot" x="${left}" y="${top}" width="${plotW}" height="${plotH}"/>`,
    ...yTicks.flatMap((y) => [
      `<line class="${y === yMin ? "mg-axis" : "mg-grid"}" x1="${left}" y1="${sy(y)}" x2="${width - right}" y2="${sy(y)}"/>`,
      `<text class="mg-tick" x="${left - 6}" y="${sy(y) + 4}" text-anchor="end">${formatNumber(y)}</text>`,
    ]),
    `<line class="mg-axis" x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}"/>`,
    ...xTicks.map(
      (x) => `<text class="mg-tick" x="${sx(x)}" y="${top + plotH + 16}" text-anchor="middle">${x}</text>`,
    ),
    `<text class="mg-label" x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle">epoch</text>`,
  ];
  series.forEach((s, i) => {
    const d = s.values.map((v, j) => `${j ? "L" : "M"}${sx(v.x)} ${sy(v.y)}`).join(" ");
    body.push(`<path class="mg-line mg-series-${i}" data-series="${s.name}" d="${d}"/>`);
    // Dots a few pixels apart merge into a thick line; then they shrink to the line's width.
    const spacing = plotW / s.values.length;
    const r = spacing >= 12 ? 2.5 : spacing >= 6 ? 1.5 : 1;
    for (const v of s.values) {
      body.push(
        `<circle class="mg-point mg-series-${i}" data-series="${s.name}" cx="${sx(v.x)}" cy="${sy(v.y)}" r="${r}"><title>epoch ${v.x}: ${s.label} ${formatNumber(v.y)}</title></circle>`,
      );
    }
  });
  const title = "Training and validation loss by epoch";
  return svg({ chart: "training-curve", width, height, title, variant }, body);
}

/**
 * One row per metric, champion over challenger. Metrics live on different scales (accuracy vs rmse),
 * so each row is scaled to its own largest value and the numbers are written beside the bars.
 */
export function metricBarsSvg(report: Report): string {
  return metricNames(report).length ? both((variant) => metricBars(report, variant)) : "";
}

function metricBars(report: Report, variant: Variant): string {
  const names = metricNames(report);
  const champion = report.champion?.metrics;
  const wide = variant === "wide";
  const rows = names.map((name) => ({
    name,
    label: cleanText(name, 24),
    values: [
      ...(champion ? [["champion", champion[name]] as const] : []),
      ["challenger", report.metrics[name]] as const,
    ],
  }));
  const width = wide ? 640 : NARROW_WIDTH;
  const [bar, gap] = [14, 14];
  const valueRoom = 8 + Math.max(textWidth("no value", TICK_SIZE), ...numberWidths(report, names));
  // Wide: names in a gutter sized to the longest; narrow: each name on its own line above its bars.
  const left = wide ? 12 + Math.max(...rows.map((r) => textWidth(r.label))) : 1;
  const labelLine = wide ? 0 : LABEL_SIZE + 6;
  const barWidth = width - left - valueRoom;
  const key = legend(
    (champion ? ["champion", "challenger"] : ["challenger"]).map((s) => ({ label: s, swatch: `mg-${s}` })),
    left,
    0,
    width - left,
  );
  const first = key.height + 8;
  const rowHeight = labelLine + (champion ? 2 : 1) * bar + gap;
  const height = first + names.length * rowHeight - gap + 4;
  const body = [key.markup];
  rows.forEach(({ name, label, values }, row) => {
    const y = first + row * rowHeight + labelLine;
    const scale = Math.max(...values.map(([, v]) => Math.abs(v ?? 0))) || 1;
    body.push(
      wide
        ? `<text class="mg-label" x="${left - 8}" y="${y + bar}" text-anchor="end">${esc(label)}</text>`
        : `<text class="mg-label" x="${left}" y="${y - 6}">${esc(label)}</text>`,
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
  const title = "Metrics: champion and challenger";
  return svg({ chart: "metrics", width, height, title, variant }, body);
}

function numberWidths(report: Report, names: string[]): number[] {
  const values = names.flatMap((n) => [report.metrics[n], report.champion?.metrics[n]]);
  return values.filter((v) => v !== undefined).map((v) => textWidth(formatNumber(v), TICK_SIZE));
}
