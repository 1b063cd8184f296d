import { describe, expect, it } from "vitest";
import { REPORT_CSP, renderHtml } from "../../core/report/html.js";
import { HEATMAP_CLASSES } from "../../core/report/svg.js";
import { manyClassReport, sampleReport } from "./fixtures.js";

/** The `<svg ...>...</svg>` element of one chart: its wide variant, if it has two. */
function chart(html: string, name: string, variant = "wide"): string {
  const charts = html.match(
    new RegExp(`<svg class="mg-chart[^"]*" data-chart="${name}"[\\s\\S]*?</svg>`, "g"),
  );
  const match = charts?.find((c) => c.includes(`data-variant="${variant}"`)) ?? charts?.[0];
  if (!match) throw new Error(`no ${name} chart in the HTML`);
  return match;
}

/** A number attribute of the first element that matches `tag` (e.g. `<rect class="mg-plot"`). */
function attribute(svg: string, tag: string, name: string): number {
  const element = svg.slice(svg.indexOf(tag));
  const value = element.match(new RegExp(`\\b${name}="([-0-9.]+)"`))?.[1];
  if (value === undefined) throw new Error(`no ${name} on ${tag}`);
  return Number(value);
}

// Pictographs (✅, ❌, ⚠) need an emoji font that many Linux browsers lack; they render as empty boxes.
const EMOJI = /\p{Extended_Pictographic}/u;

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe("renderHtml", () => {
  it("is one self-contained document with the content security policy", () => {
    const html = renderHtml(sampleReport());

    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it("makes no external request of any kind", () => {
    const html = renderHtml(sampleReport());

    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(src|href|xlink:href|srcset|action)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
  });

  it("puts the verdict first, in colour and in words", () => {
    const html = renderHtml(sampleReport());

    const main = html.slice(html.indexOf("<main>"));
    expect(main).toMatch(
      /^<main>\n<header class="mg-verdict mg-fail"><h1><span class="mg-status-fail"><svg class="mg-icon" [^>]*aria-hidden="true"[^>]*>.*?<\/svg> Failed<\/span>: churn<\/h1>/,
    );
    expect(main).toContain("Failed 1 of 2 gates: f1_macro (drop at most 0.01).");
  });

  it("shows an accepted regression with who and why", () => {
    const override = { by: "alice", reason: "label noise", at: "2024-05-02T09:00:00Z" };

    const html = renderHtml(sampleReport({ override }));

    expect(html).toContain('<header class="mg-verdict mg-override">');
    expect(html).toContain(
      "Regression accepted by <strong>alice</strong> at 2024-05-02T09:00:00Z: label noise",
    );
  });

  it("has tables with column and row headers", () => {
    const html = renderHtml(sampleReport());

    expect(html).toContain(
      '<tr><th scope="row">f1_macro <span class="mg-muted">(primary)</span></th><td>0.8903</td><td>0.8712</td><td>-0.0191</td><td>[-0.0302, -0.008]</td></tr>',
    );
    expect(html).toContain('<th scope="col" class="mg-text">Metric</th><th scope="col">Outcome</th>');
    expect(html).toMatch(/<span class="mg-status-fail"><svg class="mg-icon" [^>]*>.*?<\/svg> fail<\/span>/);
  });

  it("shows the gates before the metrics, with bounds, the certified margin and the rows needed", () => {
    const report = sampleReport();
    const unsure = { ...report.gates[1]!, outcome: "inconclusive" as const, rowsNeeded: 2400 };

    const html = renderHtml({ ...report, gates: [report.gates[0]!, unsure], outcome: "inconclusive" });

    expect(html.indexOf('id="gates"')).toBeLessThan(html.indexOf('id="metrics"'));
    expect(html).toMatch(/<h1><span class="mg-status-warn">.*? Inconclusive<\/span>: churn<\/h1>/);
    expect(html).toContain("Inconclusive on 1 of 2 gates: f1_macro (drop at most 0.01)");
    expect(html).toContain("<td>[+0.008, +0.0302]</td><td>≤ 0.0302</td><td>≈ 2,400</td>");
  });

  it("draws the training curve with one point per epoch for loss and validation loss", () => {
    const svg = chart(renderHtml(sampleReport()), "training-curve");

    expect(svg).toContain('<title id="mg-chart-training-curve">');
    expect(count(svg, /<path class="mg-line[^"]*" data-series="loss"/g)).toBe(1);
    expect(count(svg, /<path class="mg-line[^"]*" data-series="val-loss"/g)).toBe(1);
    expect(count(svg, /<circle class="mg-point[^"]*" data-series="loss"/g)).toBe(4);
    expect(count(svg, /<circle class="mg-point[^"]*" data-series="val-loss"/g)).toBe(4);
    expect(svg).toContain("<title>epoch 4: validation loss 0.5</title>");
  });

  it("draws champion and challenger bars for every metric", () => {
    const svg = chart(renderHtml(sampleReport()), "metrics");

    expect(count(svg, /<rect class="mg-bar mg-champion"/g)).toBe(3);
    expect(count(svg, /<rect class="mg-bar mg-challenger"/g)).toBe(3);
    expect(svg).toContain("<title>challenger accuracy: 0.9123</title>");
  });

  it("draws only challenger bars without a champion", () => {
    const svg = chart(renderHtml(sampleReport({ champion: undefined, deltas: {} })), "metrics");

    expect(count(svg, /<rect class="mg-bar /g)).toBe(3);
    expect(count(svg, /mg-bar mg-champion/g)).toBe(0);
  });

  it("uses no emoji: the status icons are inline SVG beside the words", () => {
    const override = { by: "alice", reason: "label noise", at: "2024-05-02T09:00:00Z" };
    const reports = [sampleReport(), sampleReport({ passed: true }), sampleReport({ override })];

    const pages = reports.map((report) => renderHtml(report));

    expect(pages.map((html) => EMOJI.test(html))).toEqual([false, false, false]);
    expect(pages.map((html) => count(html, /<svg class="mg-icon"/g))).toEqual([3, 3, 3]);
    expect(pages[2]).toMatch(
      /<span class="mg-status-warn"><svg class="mg-icon".*?<\/svg> Regression accepted/,
    );
  });

  it("says how many gates passed in words that fit the number", () => {
    const one = sampleReport({ passed: true, gates: sampleReport().gates.slice(0, 1) });

    expect(renderHtml(one)).toContain("<p>The one gate passed.</p>");
    expect(renderHtml(sampleReport({ passed: true }))).toContain("<p>All 2 gates passed.</p>");
  });

  it("draws the curve and the bars twice, wide and narrow, with their own titles", () => {
    const html = renderHtml(sampleReport());

    const variants = [...html.matchAll(/data-chart="([a-z-]+)"(?: data-variant="([a-z]+)")?/g)];
    expect(variants.map(([, name, variant]) => `${name} ${variant ?? "-"}`)).toEqual([
      "metrics wide",
      "metrics narrow",
      "confusion-matrix -",
      "training-curve wide",
      "training-curve narrow",
    ]);
    expect(chart(html, "metrics", "narrow")).toContain('aria-labelledby="mg-chart-metrics-narrow"');
    expect(count(chart(html, "training-curve", "narrow"), /<circle class="mg-point/g)).toBe(8);
  });

  it("puts the training-curve legend above the plot area, where no line can run through it", () => {
    const html = renderHtml(sampleReport());

    for (const variant of ["wide", "narrow"]) {
      const svg = chart(html, "training-curve", variant);
      const plotTop = attribute(svg, '<rect class="mg-plot"', "y");
      const legend = svg.slice(svg.indexOf('<g class="mg-legend">'), svg.indexOf("</g>"));
      const swatchBottoms = [...legend.matchAll(/y="([0-9.]+)" width="10" height="10"/g)].map(
        ([, y]) => Number(y) + 10,
      );
      expect(swatchBottoms).toHaveLength(2);
      expect(Math.max(...swatchBottoms)).toBeLessThan(plotTop);
    }
  });

  it("sizes the heatmap's label gutters from the longest class name", () => {
    const long = ["a_rather_long_nm", "b", "c"];

    const short = chart(renderHtml(sampleReport()), "confusion-matrix");
    const wide = chart(renderHtml(sampleReport({ classes: long })), "confusion-matrix");

    const gutter = (svg: string) => ({
      top: attribute(svg, '<rect class="mg-cell', "y"),
      left: attribute(svg, '<rect class="mg-cell', "x"),
    });
    // "maybe" is 5 characters: about 33px of 11px text, not the old fixed 110px.
    expect(gutter(short).top).toBeLessThan(70);
    expect(gutter(short).left).toBeLessThan(60);
    expect(gutter(wide).top).toBeGreaterThan(gutter(short).top + 40);
    expect(gutter(wide).left).toBeGreaterThan(gutter(short).left + 60);
  });

  it("draws the confusion matrix as a heatmap with one cell per pair of classes", () => {
    const svg = chart(renderHtml(sampleReport()), "confusion-matrix");

    expect(count(svg, /<rect class="mg-cell /g)).toBe(9);
    expect(count(svg, /<rect class="mg-cell mg-hit"/g)).toBe(3);
    expect(svg).toContain("<title>actual maybe, predicted yes: 6</title>");
  });

  it("limits the heatmap for many classes, says so, and still lists every class", () => {
    const html = renderHtml(manyClassReport(500));

    const svg = chart(html, "confusion-matrix");
    expect(count(svg, /<rect class="mg-cell /g)).toBe(HEATMAP_CLASSES * HEATMAP_CLASSES);
    expect(html).toContain(
      `Showing the ${HEATMAP_CLASSES} classes with the most test rows; 450 of 500 classes left out`,
    );
    expect(html).toContain('<th scope="row">class_499</th>');
  });

  it("leaves out charts it has no data for", () => {
    const html = renderHtml(
      sampleReport({ history: undefined, classes: undefined, confusionMatrix: undefined }),
    );

    expect(html).not.toContain('data-chart="training-curve"');
    expect(html).not.toContain('data-chart="confusion-matrix"');
    expect(html).toContain('data-chart="metrics"');
  });

  it("escapes every string from the report", () => {
    const evil = `<img src=x onerror=alert(1)> "quoted" 'single' & ![x](http://evil/x.png)`;
    const report = sampleReport({
      model: evil,
      classes: [evil, "b", "c"],
      metrics: { [evil]: 1, f1_macro: 0.5 },
      data: { train: { rows: 1, fingerprint: "<b>", file: evil }, changes: [evil] },
    });

    const html = renderHtml(report);

    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    // Escaped, "src=x" in text or in a quoted attribute value is harmless; a src attribute is not.
    const tagsOnly = html.replace(/"[^"]*"/g, '""');
    expect(tagsOnly).not.toMatch(/<[^>]*\b(src|href|on[a-z]+)\s*=/i);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &#39;single&#39; &amp;");
    expect(html).toContain(`<title>modelgate report: &lt;img src=x onerror=alert(1)&gt;`);
  });
});
