import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { renderHtml } from "../../core/report/html.js";
import type { Report } from "../../core/report/schema.js";
import { tempDir } from "../helpers/temp.js";
import { manyClassReport, sampleReport } from "../report/fixtures.js";

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
export interface BrowserWindow {
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
  getComputedStyle(element: unknown): { fill: string; fontSize: string };
}

/** An SVG `<text>` as the page sees it: its CTM maps SVG units to CSS pixels, scaling included. */
export interface SvgText {
  textContent: string | null;
  getScreenCTM(): { a: number; b: number } | null;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A regression model with a long training run: no heatmap, large metric values, 60 epochs. */
const regressionReport = (): Report =>
  sampleReport({
    task: "regression",
    passed: true,
    primaryMetric: "rmse",
    metrics: { rmse: 41230.5, mae: 29876.1, r2: 0.8123 },
    champion: { metrics: { rmse: 42011.2, mae: 30110.9, r2: 0.8051 }, version: 7 },
    deltas: { rmse: { delta: -780.7, ci: [-1200, -300], pValue: 0.004 } },
    gates: [
      { metric: "rmse", rule: "maxIncrease", value: -780.7, threshold: 500, passed: true, reason: "fell" },
    ],
    classes: undefined,
    confusionMatrix: undefined,
    perClass: undefined,
    history: Array.from({ length: 60 }, (_, i) => ({
      epoch: i + 1,
      loss: 2 / (i + 1) + 0.1,
      valLoss: 2.2 / (i + 1) + 0.15,
    })),
  });

export const REPORTS: Record<string, () => Report> = {
  sample: sampleReport,
  "many-classes": () => manyClassReport(40),
  regression: regressionReport,
};

interface Opened {
  page: Page;
  url: string;
  requests: string[];
  errors: string[];
}

/**
 * Starts Chromium before the tests of the calling describe block and closes it after them. Returns `open`,
 * which renders a report from REPORTS to a file and loads it, and `dir`, where screenshots go.
 */
export function reportBrowser() {
  let browser: Browser;
  let dir = "";

  beforeAll(async () => {
    await ensureChromium();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    dir = await tempDir("mg-browser-");
  }, INSTALL_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a report at the given width, recording every request and every error the page logs. */
  async function open(width: number, report = "sample"): Promise<Opened> {
    const file = path.join(dir, `${report}.html`);
    await writeFile(file, renderHtml(REPORTS[report]!()));
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
    const elements = await page.locator(`svg.mg-chart[data-chart="${chart}"]:visible ${selector}`).all();
    return Promise.all(
      elements.map(async (e) => {
        const box = await e.boundingBox();
        return { width: box?.width ?? 0, height: box?.height ?? 0 };
      }),
    );
  }

  return { open, boxes, dir: () => dir };
}
