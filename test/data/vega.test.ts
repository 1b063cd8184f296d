import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/** vega-datasets (a dev dependency): public data sets of every shape, read as a new user would. */
const dir = path.join(path.dirname(createRequire(import.meta.url).resolve("vega-datasets")), "..", "data");
const files = readdirSync(dir)
  .filter((name) => /\.(csv|tsv|json)$/.test(name))
  .sort();

/** Not tabular: refused with exit 2, naming what they are. */
const REFUSED: Record<string, RegExp> = {
  "annual-precip.json": /one JSON object with keys width, height/,
  "volcano.json": /one JSON object with keys width, height, values/,
  "earthquakes.json": /GeoJSON \(a FeatureCollection\)/,
  "londonBoroughs.json": /TopoJSON/,
  "londonTubeLines.json": /TopoJSON/,
  "us-10m.json": /TopoJSON/,
  "world-110m.json": /TopoJSON/,
  "miserables.json": /a graph \(77 nodes and their links\)/,
};

/**
 * Errors that are true of the file: budget.json writes 17 of its yearly amounts as text with
 * thousands separators ("45,571,090") in columns that are otherwise JSON numbers.
 */
const TRUE_ERRORS: Record<string, { check: string; line: number }> = {
  "budget.json": { check: "type_change", line: 224 },
};

describe("every vega-datasets CSV, TSV and JSON file through validate without a schema", () => {
  it("finds the data sets", () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files)("%s", async (name) => {
    const result = await cli(["validate", "--data", path.join(dir, name), "--json"], dir);

    if (REFUSED[name]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(REFUSED[name]);
      return;
    }
    const json = JSON.parse(result.stdout);
    const expected = TRUE_ERRORS[name];
    if (expected) {
      expect(result.code).toBe(1);
      const checks = new Set(json.errors.map((e: { check: string }) => e.check));
      expect([...checks]).toEqual([expected.check]);
      expect(json.errors[0].lines).toEqual([expected.line]);
      return;
    }
    expect({ code: result.code, errors: json.errors }).toEqual({ code: 0, errors: [] });
    expect(json.rows).toBeGreaterThan(0);
  });
});
