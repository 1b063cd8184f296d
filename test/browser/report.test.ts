import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../core/report/html.js";
import { sampleReport } from "../report/fixtures.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// apt-get update and a first Chromium download take minutes on a slow mirror.
const INSTALL_TIMEOUT = 15 * 60_000;

/** Debian's chromium package, installed on first use so `npm test` runs on a fresh machine. */
async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  try {
    await promisify(execFile)("sh", ["-c", "apt-get update && apt-get install -y chromium"], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Error(
      `${CHROMIUM} is missing and installing it failed (${why}). The browser test needs Debian's chromium: run "apt-get update && apt-get install -y chromium" as root, then npm test again.`,
    );
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
}

/**
 * What the page itself can see (tsconfig has no DOM lib). Callbacks passed to evaluate are serialised and
 * run in the browser, so they cast globalThis themselves rather than calling a helper from this file.
 */
interface BrowserWindow {
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
  getComputedStyle(element: unknown): { fill: string };
}

interface Opened {
  page: Page;
  url: string;
  requests: string[];
  errors: string[];
}

describe("the HTML report in headless Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    await ensureChromium();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    dir = await mkdtemp(path.join(tmpdir(), "mg-browser-"));
  }, INSTALL_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the sample report at the given width, recording every request and every error the page logs. */
  async function open(width: number): Promise<Opened> {
    const file = path.join(dir, "report.html");
    await writeFile(file, renderHtml(sampleReport()));
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: "load" });
    return { page, url, requests, errors };
  }

  /** Width and height of every element matching `selector` inside one chart. */
  async function boxes(page: Page, chart: string, selector: string) {
    const elements = await page.locator(`svg.mg-chart[data-chart="${chart}"] ${selector}`).all();
    return Promise.all(
      elements.map(async (e) => {
        const box = await e.boundingBox();
        return { width: box?.width ?? 0, height: box?.height ?? 0 };
      }),
    );
  }

  it("fetches nothing but the page and logs no error (the CSP would log any blocked load)", async () => {
    const { page, url, requests, errors } = await open(1280);

    await page.screenshot({ path: path.join(dir, "report-1280.png"), fullPage: true });

    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws all three charts at a visible size", async () => {
    const { page } = await open(1280);

    const sizes = await Promise.all(
      ["metrics", "confusion-matrix", "training-curve"].map(async (name) => {
        const box = await page.locator(`svg.mg-chart[data-chart="${name}"]`).boundingBox();
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
      .locator('svg.mg-chart[data-chart="metrics"] rect.mg-bar')
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
    const hits = await page.locator('svg.mg-chart[data-chart="confusion-matrix"] rect.mg-hit').count();

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

  it("fits a phone screen: the page does not scroll sideways and the charts shrink to fit", async () => {
    const { page } = await open(390);

    await page.screenshot({ path: path.join(dir, "report-390.png"), fullPage: true });
    const overflow = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });
    const widest = Math.max(
      ...(await Promise.all(
        (await page.locator("svg.mg-chart").all()).map(async (c) => (await c.boundingBox())?.width ?? 0),
      )),
    );

    expect(overflow).toBeLessThanOrEqual(0);
    expect(widest).toBeLessThanOrEqual(390);
    await page.close();
  });

  it("writes screenshots that are real PNG images", async () => {
    const { page } = await open(1280);
    const file = path.join(dir, "report-check.png");

    await page.screenshot({ path: file, fullPage: true });
    const png = await readFile(file);

    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    // Full page: taller than one 900px viewport, since the report has eight sections.
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
    await page.close();
  });
});
