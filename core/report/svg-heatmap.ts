import { cleanText, escapeHtml as esc } from "./escape.js";
import type { Report } from "./schema.js";
import { LABEL_SIZE, round, svg, TICK_SIZE, textWidth } from "./svg-parts.js";

/** A heatmap wider than this is unreadable; the most frequent classes are drawn. */
export const HEATMAP_CLASSES = 50;

const CAPTION = "rows: actual, columns: predicted";

/** `shown`: class indices to draw. Shading is the share of each actual class's rows. */
export function confusionHeatmapSvg(report: Report, shown: number[]): string {
  const matrix = report.confusionMatrix;
  const classes = report.classes ?? [];
  if (!matrix || shown.length === 0) return "";
  const n = shown.length;
  // Rows no shorter than a line of tick text, so row labels never overlap.
  const cell = Math.max(TICK_SIZE + 2, Math.min(48, Math.floor(480 / n)));
  const names = new Map(shown.map((i) => [i, cleanText(classes[i] ?? String(i), 16)]));
  const name = (i: number) => esc(names.get(i) ?? String(i));
  const widths = shown.map((i) => textWidth(names.get(i) ?? "", TICK_SIZE));
  const longest = Math.max(...widths);
  // The gutters fit the longest class name rather than a fixed size, so short names leave no blank band.
  const left = 8 + longest + 6;
  // Column labels slant up at 45°, or stand upright when columns are too narrow for slanted lines of text.
  const angle = cell * Math.SQRT1_2 > TICK_SIZE ? 45 : 90;
  const [up, across] = angle === 45 ? [Math.SQRT1_2, Math.SQRT1_2] : [1, 0];
  const top = LABEL_SIZE + 12 + Math.ceil((longest + TICK_SIZE) * up) + 6;
  const grid = n * cell;
  const reach = Math.max(...widths.map((w, col) => left + (col + 1) * cell + w * across + TICK_SIZE));
  const width = Math.ceil(Math.max(left + grid, reach, textWidth(CAPTION)) + 4);
  const maxCount = Math.max(...shown.flatMap((r) => shown.map((c) => matrix[r]?.[c] ?? 0)));
  const withCounts = cell >= 28 && textWidth(String(maxCount), TICK_SIZE) <= cell - 4;
  const body = [`<text class="mg-label" x="0" y="${LABEL_SIZE}">${CAPTION}</text>`];
  shown.forEach((r, row) => {
    const rowTotal = (matrix[r] ?? []).reduce((sum, v) => sum + v, 0) || 1;
    const y = top + row * cell;
    body.push(
      `<text class="mg-tick mg-row-label" x="${left - 6}" y="${y + cell / 2 + 4}" text-anchor="end">${name(r)}</text>`,
    );
    shown.forEach((c, col) => {
      const count = matrix[r]?.[c] ?? 0;
      const x = left + col * cell;
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
    // Upright text sits right of its anchor by its baseline; a third of the font size centres it.
    const x = round(left + col * cell + cell / 2 + (angle === 90 ? TICK_SIZE / 3 : 0));
    body.push(
      `<text class="mg-tick mg-col-label" x="${x}" y="${top - 6}" transform="rotate(-${angle} ${x} ${top - 6})">${name(c)}</text>`,
    );
  });
  const title = "Confusion matrix heatmap, actual by predicted class";
  return svg({ chart: "confusion-matrix", width, height: top + grid + 2, title }, body);
}
