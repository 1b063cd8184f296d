import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type BrowserWindow, reportBrowser } from "./harness.js";

describe("the HTML report in headless Chromium", () => {
  const { open, boxes, dir: screenshots } = reportBrowser();

  it("fetches nothing but the page and logs no error (the CSP would log any blocked load)", async () => {
    const { page, url, requests, errors } = await open(1280);

    await page.screenshot({ path: path.join(screenshots(), "report-1280.png"), fullPage: true });

    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws all three charts at a visible size", async () => {
    const { page } = await open(1280);

    const sizes = await Promise.all(
      ["metrics", "confusion-matrix", "training-curve"].map(async (name) => {
        const box = await page.locator(`svg.mg-chart[data-chart="${name}"]:visible`).boundingBox();
        return { name, wide: (box?.width ?? 0) > 200, tall: (box?.height ?? 0) > 100 };
      }),
    );

    expect(sizes).toEqual([
      { name: "metrics", wide: true, tall: true },
      { name: "confusion-matrix", wide: true, tall: true },
      { name: "training-curve", wide: true, tall: true },
    ]);
    await page.close();
  });

  it("draws a champion and a challenger bar for each of the three metrics, in two colours", async () => {
    const { page } = await open(1280);

    const bars = await boxes(page, "metrics", "rect.mg-bar");
    const fills = await page
      .locator('svg.mg-chart[data-chart="metrics"]:visible rect.mg-bar')
      .evaluateAll((els) =>
        els.map((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).fill),
      );

    expect(bars).toHaveLength(6);
    expect(bars.every((b) => b.width > 0 && b.height > 0)).toBe(true);
    expect(new Set(fills).size).toBe(2);
    expect(fills).not.toContain("none");
    await page.close();
  });

  it("draws a three-by-three confusion heatmap", async () => {
    const { page } = await open(1280);

    const cells = await boxes(page, "confusion-matrix", "rect.mg-cell");
    const hits = await page
      .locator('svg.mg-chart[data-chart="confusion-matrix"]:visible rect.mg-hit')
      .count();

    expect(cells).toHaveLength(9);
    expect(cells.every((c) => c.width > 10 && Math.abs(c.width - c.height) < 0.5)).toBe(true);
    expect(hits).toBe(3);
    await page.close();
  });

  it("draws both loss curves with a point per epoch", async () => {
    const { page } = await open(1280);

    const points = await boxes(page, "training-curve", "circle.mg-point");
    const lines = await boxes(page, "training-curve", "path.mg-line");

    expect(points).toHaveLength(8);
    expect(points.every((p) => p.width > 0)).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.width > 100 && l.height > 0)).toBe(true);
    await page.close();
  });

  it("fits a phone screen: the page does not scroll sideways and no chart is wider than the screen", async () => {
    const { page } = await open(390);

    await page.screenshot({ path: path.join(screenshots(), "report-390.png"), fullPage: true });
    const overflow = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });
    const widest = Math.max(
      ...(await Promise.all(
        (
          await page.locator("svg.mg-chart:visible").all()
        ).map(async (c) => (await c.boundingBox())?.width ?? 0),
      )),
    );

    expect(overflow).toBeLessThanOrEqual(0);
    expect(widest).toBeLessThanOrEqual(390);
    await page.close();
  });

  it("writes screenshots that are real PNG images", async () => {
    const { page } = await open(1280);
    const file = path.join(screenshots(), "report-check.png");

    await page.screenshot({ path: file, fullPage: true });
    const png = await readFile(file);

    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    // Full page: taller than one 900px viewport, since the report has eight sections.
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
    await page.close();
  });
});
