import { escapeHtml as esc } from "./escape.js";

/** Font sizes in SVG units; html-style.ts sets the same sizes for `svg text` and `.mg-tick`. */
export const LABEL_SIZE = 12;
export const TICK_SIZE = 11;
/** No chart text may render below this many CSS pixels; narrower than that, a chart scrolls sideways. */
export const MIN_TEXT_PX = 10;
/** Charts drawn for phones, shown instead of the 640-wide ones on screens up to NARROW_BREAKPOINT px. */
export const NARROW_WIDTH = 340;
/** Above it, a 640-wide chart in the page's 16px padding still renders its 11px ticks at 10px or more. */
export const NARROW_BREAKPOINT = 620;

export type Variant = "wide" | "narrow";

export const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A generous width for text in the report's sans-serif font. The page may fall back to DejaVu Sans (Debian's
 * default), the widest of the usual fonts at about 0.55em per character of a typical label.
 */
export function textWidth(text: string, size = LABEL_SIZE): number {
  return Math.ceil(text.length * size * 0.6);
}

interface Frame {
  chart: string;
  width: number;
  height: number;
  title: string;
  /** Wide and narrow variants of one chart are both in the page; CSS shows one of them. */
  variant?: Variant;
}

/**
 * `<svg class="mg-chart" data-chart="...">` with a `<title>` for screen readers. It is never drawn larger
 * than designed (a small heatmap keeps its font size on a wide screen) nor so small that its smallest text
 * renders under MIN_TEXT_PX; the page wraps charts in a box that scrolls instead.
 */
export function svg(frame: Frame, body: string[]): string {
  const { chart, width, height, title, variant } = frame;
  const id = `mg-chart-${chart}${variant === "narrow" ? "-narrow" : ""}`;
  const cls = variant ? `mg-chart mg-${variant}` : "mg-chart";
  const minWidth = Math.ceil((width * MIN_TEXT_PX) / TICK_SIZE);
  const size = `viewBox="0 0 ${width} ${height}" style="max-width:${width}px;min-width:${minWidth}px"`;
  return [
    `<svg class="${cls}" data-chart="${chart}"${variant ? ` data-variant="${variant}"` : ""} ${size} role="img" aria-labelledby="${id}">`,
    `<title id="${id}">${title}</title>`,
    ...body,
    "</svg>",
  ].join("\n");
}

export interface LegendItem {
  label: string;
  /** Classes that colour the swatch, e.g. `mg-series-0` or `mg-champion`. */
  swatch: string;
}

/**
 * A row of swatches and labels from (x, y), wrapping at `maxWidth`. Charts place it above their plot
 * area, so it never covers data. Returns the markup and the height it takes.
 */
export function legend(items: LegendItem[], x: number, y: number, maxWidth: number) {
  const [swatch, gap, line] = [10, 12, LABEL_SIZE + 6];
  const parts: string[] = [];
  let [cx, cy] = [x, y];
  for (const item of items) {
    const w = swatch + 6 + textWidth(item.label);
    if (cx > x && cx + w > x + maxWidth) [cx, cy] = [x, cy + line];
    parts.push(
      `<rect class="mg-swatch ${item.swatch}" x="${cx}" y="${cy + 2}" width="${swatch}" height="${swatch}" rx="2"/>`,
      `<text class="mg-label" x="${cx + swatch + 6}" y="${cy + 11}">${esc(item.label)}</text>`,
    );
    cx += w + gap;
  }
  return { markup: `<g class="mg-legend">${parts.join("")}</g>`, height: cy - y + line };
}

/**
 * About `count` round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering [min, max].
 * `integer` keeps steps whole, for epochs.
 */
export function niceTicks(min: number, max: number, count: number, integer = false): number[] {
  const raw = (max - min) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return [min];
  const power = 10 ** Math.floor(Math.log10(raw));
  const steps = (integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map((m) => m * power);
  const step = Math.max(integer ? 1 : 0, steps.find((s) => s >= raw) ?? raw);
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
}
