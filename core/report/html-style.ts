import { LABEL_SIZE, NARROW_BREAKPOINT, TICK_SIZE } from "./svg-parts.js";

/** Inline, because the report's Content-Security-Policy allows no other stylesheet. */
export const HTML_STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --champion: #8c959f; --challenger: #0969da;
  --val: #bf3989; --hit: #1a7f37; --miss: #cf222e; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d;
    --pass: #3fb950; --fail: #f85149; --warn: #d29922; --champion: #656c76; --challenger: #4493f8;
    --val: #db61a2; --hit: #3fb950; --miss: #f85149; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 960px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.mg-verdict { border: 2px solid; border-radius: 8px; padding: 12px 16px; }
.mg-verdict.mg-pass { border-color: var(--pass); }
.mg-verdict.mg-fail { border-color: var(--fail); }
.mg-verdict.mg-override { border-color: var(--warn); }
.mg-status-pass { color: var(--pass); font-weight: 600; }
.mg-status-fail { color: var(--fail); font-weight: 600; }
.mg-status-warn { color: var(--warn); font-weight: 600; }
.mg-icon { width: 1em; height: 1em; vertical-align: -0.125em; fill: currentColor; }
.mg-icon-mark { fill: none; stroke: var(--bg); stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }
.mg-muted, .mg-note { color: var(--muted); }
.mg-scroll { overflow-x: auto; max-width: 100%; }
/* Shadows at an edge with more to scroll to; the covers scroll with the content and hide them at the ends. */
.mg-scroll { background: linear-gradient(to right, var(--bg) 30%, transparent) left / 40px 100%,
  linear-gradient(to left, var(--bg) 30%, transparent) right / 40px 100%,
  radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.18), transparent) left / 12px 100%,
  radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.18), transparent) right / 12px 100%;
  background-repeat: no-repeat; background-attachment: local, local, scroll, scroll; }
.mg-figure { margin: 8px 0; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: right; white-space: nowrap; }
th[scope="row"], td.mg-text, th.mg-text { text-align: left; }
td.mg-text { white-space: normal; min-width: 12em; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; }
svg.mg-chart { display: block; width: 100%; height: auto; }
svg.mg-chart.mg-narrow { display: none; }
@media (max-width: ${NARROW_BREAKPOINT}px) {
  svg.mg-chart.mg-wide { display: none; }
  svg.mg-chart.mg-narrow { display: block; }
}
svg text { fill: var(--fg); font-size: ${LABEL_SIZE}px; }
svg .mg-tick { fill: var(--muted); font-size: ${TICK_SIZE}px; }
.mg-plot { fill: none; }
.mg-axis { stroke: var(--muted); stroke-opacity: 0.6; }
.mg-grid { stroke: var(--line); stroke-opacity: 0.7; }
.mg-line { fill: none; stroke-width: 2; }
.mg-line.mg-series-0, .mg-point.mg-series-0, .mg-swatch.mg-series-0 { stroke: var(--challenger); fill: var(--challenger); }
.mg-line.mg-series-0 { fill: none; }
.mg-line.mg-series-1, .mg-point.mg-series-1, .mg-swatch.mg-series-1 { stroke: var(--val); fill: var(--val); }
.mg-line.mg-series-1 { fill: none; stroke-dasharray: 6 3; }
.mg-champion { fill: var(--champion); }
.mg-challenger { fill: var(--challenger); }
.mg-cell.mg-hit { fill: var(--hit); }
.mg-cell.mg-miss { fill: var(--miss); }
.mg-cell { stroke: var(--bg); stroke-width: 1; }
svg .mg-count { font-size: ${TICK_SIZE}px; }
svg .mg-count.mg-on-dark { fill: #ffffff; }
@media (max-width: 600px) { body { font-size: 14px; } main { padding: 8px; } th, td { padding: 3px 5px; } }
`;
