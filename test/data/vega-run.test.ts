import { copyFile, readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, project } from "../helpers/cli.js";

const vega = path.join(path.dirname(createRequire(import.meta.url).resolve("vega-datasets")), "..", "data");

/** `modelgate run` on a vega data set in a fresh project; returns the run's output and the model's manifest. */
async function runOn(file: string, target: string) {
  const config = `version: 1\nname: t\ndata:\n  train: ${file}\n  target: ${target}\nmodel:\n  hidden: [8]\n  epochs: 2\n`;
  const dir = await project({ "modelgate.yml": config });
  await copyFile(path.join(vega, file), path.join(dir, file));
  const result = await cli(["run"], dir);
  const artifacts = path.join(dir, ".modelgate", "artifacts");
  const [run] = await readdir(artifacts);
  const manifest = JSON.parse(await readFile(path.join(artifacts, run!, "model", "modelgate.json"), "utf8"));
  return { ...result, manifest };
}

describe("modelgate run on public data sets", () => {
  it("flights-10k.json: regression on delay, its YYYY/MM/DD HH:MM dates expanded", async () => {
    const { code, manifest } = await runOn("flights-10k.json", "delay");

    expect(code).toBe(0);
    expect(manifest.task).toBe("regression");
    expect(manifest.features).toEqual([
      { name: "date", kind: "datetime" },
      { name: "distance", kind: "numeric" },
      { name: "origin", kind: "categorical" },
      { name: "destination", kind: "categorical" },
    ]);
  });

  it("seattle-weather.csv: predicts weather, the date expanded", async () => {
    const { code, manifest } = await runOn("seattle-weather.csv", "weather");

    expect(code).toBe(0);
    expect(manifest.classes).toEqual(["drizzle", "fog", "rain", "snow", "sun"]);
    expect(manifest.features[0]).toEqual({ name: "date", kind: "datetime" });
  });

  it("airports.csv: predicts state; NA rows dropped, single-row classes train only, ID-like and constant columns out", async () => {
    const { code, stderr, stdout, manifest } = await runOn("airports.csv", "state");
    const said = stdout + stderr;

    expect(code).toBe(0);
    expect(said).toMatch(/12 row\(s\) without a target 'state' are left out \(lines 1138, 1717,/);
    expect(said).toMatch(/2 class\(es\) have a single row \("DC", "GU"\): training only, never tested/);
    expect(manifest.preprocessor.roles.map((r: { name: string; role: string }) => [r.name, r.role])).toEqual([
      ["iata", "id-like"],
      ["name", "id-like"],
      ["city", "id-like"],
      ["state", "target"],
      ["country", "constant"],
      ["latitude", "feature"],
      ["longitude", "feature"],
    ]);
    expect(manifest.classes).toContain("DC");
  });
});
