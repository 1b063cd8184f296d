import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { type DriftColumn, detectDrift } from "../../core/drift/index.js";
import { memoryLogger, silentLogger } from "../../core/ports.js";
import type { DatasetProfile } from "../../core/profile/index.js";
import { tempDir } from "../helpers/temp.js";
import { mulberry32, normals, profileOf } from "./helpers.js";

/**
 * Columns whose spread is small next to their offset: the stored profile (what scheduled checks read)
 * must give the verdict, statistic and p-value that the raw data gives, within 2%.
 */
const WEEK = 7 * 24 * 3600;
const yearsBetween = (n: number, seed: number, from: number, to: number) => {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => from + Math.floor(random() * (to - from + 1)));
};

const CASES: Array<{
  name: string;
  reference: number[];
  current: number[];
  method?: string;
}> = [
  {
    name: "epoch seconds shifted by one week",
    reference: normals(5000, 1).map((z) => Math.round(1.7e9 + z * 86_400)),
    current: normals(5000, 2).map((z) => Math.round(1.7e9 + WEEK + z * 86_400)),
  },
  {
    name: "years 1990-2020, later years more common",
    reference: yearsBetween(5000, 3, 1990, 2020),
    current: yearsBetween(5000, 4, 1996, 2020),
    method: "psi",
  },
  {
    name: "N(1000, 5), 30 vs 40 rows, shifted by 4",
    reference: normals(30, 5).map((z) => 1000 + 5 * z),
    current: normals(40, 6).map((z) => 1004 + 5 * z),
  },
  {
    name: "lognormal, log shifted by 0.2",
    reference: normals(5000, 7).map((z) => Math.exp(z)),
    current: normals(5000, 8).map((z) => Math.exp(z + 0.2)),
  },
];

async function sides(reference: number[], current: number[]) {
  const cwd = await tempDir("mg-offsets-");
  const csv = (values: number[]) => `x\n${values.join("\n")}\n`;
  const profile = profileOf({ x: reference });
  const old: DatasetProfile = JSON.parse(JSON.stringify(profile));
  delete old.columns.x!.numeric!.grid;
  await writeFile(path.join(cwd, "reference.csv"), csv(reference));
  await writeFile(path.join(cwd, "current.csv"), csv(current));
  await writeFile(path.join(cwd, "profile.json"), JSON.stringify(profile));
  await writeFile(path.join(cwd, "old.json"), JSON.stringify(old));
  return cwd;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const close = (a: number, b: number) => relative(a, b) <= 0.02;
const agrees = (stored: DriftColumn, raw: DriftColumn) =>
  stored.drift === raw.drift &&
  close(stored.statistic, raw.statistic) &&
  (raw.pValue === undefined || close(stored.pValue!, raw.pValue));

describe("offset data: stored profile vs raw data", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const cwd = await sides(c.reference, c.current);
      const options = { cwd, logger: silentLogger, ...(c.method ? { method: c.method as "psi" } : {}) };
      const logger = memoryLogger();

      const [raw] = (await detectDrift("reference.csv", "current.csv", options)).columns;
      const [stored] = (await detectDrift("profile.json", "current.csv", options)).columns;
      const [sketchOnly] = (await detectDrift("old.json", "current.csv", { ...options, logger })).columns;

      expect(raw!.source).toBe("exact");
      expect(raw!.drift).toBe(true);
      expect(stored!.drift).toBe(raw!.drift);
      expect(relative(stored!.statistic, raw!.statistic)).toBeLessThanOrEqual(0.02);
      if (raw!.pValue !== undefined) expect(relative(stored!.pValue!, raw!.pValue)).toBeLessThanOrEqual(0.02);
      expect(agrees(stored!, raw!)).toBe(true);
      // The old profile (no grid) still loads, with a warning naming the column.
      expect(logger.lines.join("\n")).toMatch(
        /old\.json was written before .*grid: x compared on the quantile sketch alone/,
      );
      if (c.name.startsWith("lognormal")) expect(agrees(sketchOnly!, raw!)).toBe(true);
      else expect(agrees(sketchOnly!, raw!)).toBe(false);
    });
  }
});
