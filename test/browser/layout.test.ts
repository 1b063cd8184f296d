import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type BrowserWindow, intersects, REPORTS, reportBrowser, type SvgText } from "./harness.js";

/** What the reviewer of the screenshots asked for: legends off the data, legible phones, no emoji. */
describe("the HTML report's layout in headless Chromium", () => {
  const { open, boxes, dir: screenshots } = reportBrowser();

  /** Rendered size in CSS pixels of every chart label on screen: font size times the chart's scale. */
  async function textSizes(page: Page) {
    return page.locator("svg.mg-chart:visible text").evaluateAll((els) =>
      els.map((el) => {
        const text = el as unknown as SvgText;
        const ctm = text.getScreenCTM();
        const font = Number.parseFloat(
          (globalThis as unknown as BrowserWindow).getComputedStyle(el).fontSize,
        );
        return { text: text.textContent, px: ctm ? font * Math.hypot(ctm.a, ctm.b) : 0 };
      }),
    );
  }

  for (const width of [1280, 390]) {
    it(`keeps the training-curve legend out of the plot area at ${width}px`, async () => {
      const { page } = await open(width);
      const curve = page.locator('svg.mg-chart[data-chart="training-curve"]:visible');

      const legend = await curve.locator("g.mg-legend").boundingBox();
      const plot = await curve.locator("rect.mg-plot").boundingBox();
      const labels = await curve.locator("g.mg-legend text").allTextContents();

      expect(labels).toEqual(["training loss", "validation loss"]);
      expect(legend && plot && legend.height > 0 && plot.height > 100).toBe(true);
      expect(intersects(legend!, plot!)).toBe(false);
      expect(legend!.y + legend!.height).toBeLessThanOrEqual(plot!.y);
      await page.close();
    });
  }

  for (const report of Object.keys(REPORTS)) {
    it(`renders every chart label at 10px or more on a 390px phone (${report})`, async () => {
      const { page } = await open(390, report);

      await page.screenshot({ path: path.join(screenshots(), `${report}-390.png`), fullPage: true });
      const sizes = await textSizes(page);
      const overflow = await page.evaluate(() => {
        const w = globalThis as unknown as BrowserWindow;
        return w.document.documentElement.scrollWidth - w.innerWidth;
      });

      expect(sizes.length).toBeGreaterThan(10);
      expect(sizes.filter((s) => s.px < 10)).toEqual([]);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.close();
    });
  }

  it("shows the narrow chart variants on a phone and the wide ones on a desktop", async () => {
    const visible = async (width: number) => {
      const { page } = await open(width);
      const variants = await page
        .locator("svg.mg-chart:visible")
        .evaluateAll((els) =>
          els.map((el) => (el as unknown as { dataset: { variant?: string } }).dataset.variant),
        );
      await page.close();
      return variants;
    };

    expect(await visible(1280)).toEqual(["wide", undefined, "wide"]);
    expect(await visible(390)).toEqual(["narrow", undefined, "narrow"]);
  });

  it("fits the heatmap's blank space to its short class names", async () => {
    const { page } = await open(1280);
    const heatmap = page.locator('svg.mg-chart[data-chart="confusion-matrix"]');

    const chart = (await heatmap.boundingBox())!;
    const cells = await boxes(page, "confusion-matrix", "rect.mg-cell");
    const firstCell = (await heatmap.locator("rect.mg-cell").first().boundingBox())!;
    const columns = await Promise.all(
      (await heatmap.locator("text.mg-col-label").all()).map(async (t) => (await t.boundingBox())!),
    );
    const rows = await Promise.all(
      (await heatmap.locator("text.mg-row-label").all()).map(async (t) => (await t.boundingBox())!),
    );

    expect(cells).toHaveLength(9);
    // Above the grid: the caption line, then the slanted column names, with little to spare.
    expect(firstCell.y - chart.y).toBeLessThan(75);
    expect(Math.min(...columns.map((c) => c.y)) - chart.y).toBeLessThan(35);
    expect(columns.every((c) => c.y + c.height <= firstCell.y + 1)).toBe(true);
    expect(Math.min(...rows.map((r) => r.x)) - chart.x).toBeLessThan(12);
    expect(rows.every((r) => r.x + r.width <= firstCell.x)).toBe(true);
    await page.close();
  });

  it("shows pass and fail as drawn icons beside the words, not as emoji", async () => {
    const { page } = await open(1280);

    const icons = await page.locator("svg.mg-icon").all();
    const sizes = await Promise.all(icons.map(async (i) => (await i.boundingBox())?.width ?? 0));
    const words = await page.locator('[class^="mg-status-"]').allTextContents();

    expect(sizes).toHaveLength(3);
    expect(sizes.every((w) => w >= 12)).toBe(true);
    expect(words.map((w) => w.trim())).toEqual(["Failed", "pass", "fail"]);
    await page.close();
  });
});
