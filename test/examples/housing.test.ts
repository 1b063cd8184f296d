import { execFile } from "node:child_process";
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/action.js";
import { cli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

const example = path.join(repoRoot, "examples/housing");
const DATA = ["train.csv", "test.csv", "live.csv"];

/** A copy of the example, so runs write their .modelgate/ store outside the repository. */
async function copyOfExample(): Promise<string> {
  const dir = await tempDir("mg-housing-");
  for (const part of ["modelgate.yml", "generate.mjs", "schemas", "data"]) {
    await cp(path.join(example, part), path.join(dir, part), { recursive: true });
  }
  return dir;
}

/** Columns of a CSV without quoted fields, which the generator never writes. */
async function columns(file: string): Promise<Record<string, number[]>> {
  const [header, ...rows] = (await readFile(file, "utf8")).trim().split("\n");
  const names = header!.split(",");
  return Object.fromEntries(
    names.map((name, i) => [name, rows.map((r) => Number(r.split(",")[i])).filter(Number.isFinite)]),
  );
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe("examples/housing", () => {
  it("commits exactly what its seeded generator writes", async () => {
    const dir = await copyOfExample();

    await promisify(execFile)(process.execPath, [path.join(dir, "generate.mjs")]);

    for (const file of DATA) {
      const [fresh, committed] = await Promise.all([
        readFile(path.join(dir, "data", file)),
        readFile(path.join(example, "data", file)),
      ]);
      expect(fresh.equals(committed), `data/${file} differs from generate.mjs's output`).toBe(true);
    }
  });

  it("has live data without the target, shifted from the training data", async () => {
    const [train, live] = await Promise.all([
      columns(path.join(example, "data/train.csv")),
      columns(path.join(example, "data/live.csv")),
    ]);

    const shift = (name: string) => Math.abs(mean(live[name]!) - mean(train[name]!)) / sd(train[name]!);

    expect(train.price).toHaveLength(3000);
    expect(live.price).toBeUndefined();
    expect(live.house_id).toBeDefined();
    // Shifts of half a standard deviation or more: the drift workflow has something to find.
    expect({
      sqft: shift("sqft") > 0.5,
      age: shift("age_years") > 0.5,
      distance: shift("distance_km") > 0.5,
    }).toEqual({
      sqft: true,
      age: true,
      distance: true,
    });
  });

  it("validates against its data schema", async () => {
    const run = await cli(["validate", "--config", "examples/housing/modelgate.yml", "--json"], repoRoot);

    // One result per data file of the project.
    const results = JSON.parse(run.stdout) as {
      file: string;
      ok: boolean;
      rows: number;
      errors: unknown[];
    }[];
    expect(run.code).toBe(0);
    expect(results.map((r) => [r.file, r.ok, r.rows, r.errors])).toEqual([
      ["examples/housing/data/train.csv", true, 3000, []],
      ["examples/housing/data/test.csv", true, 800, []],
    ]);
  });

  it("trains a regression model that passes its gates, then passes again against itself as champion", async () => {
    const dir = await copyOfExample();

    const first = await cli(["run", "--json"], dir);
    const second = await cli(["run", "--json"], dir);

    type Run = {
      result: {
        task: string;
        passed: boolean;
        metrics: Record<string, number>;
        champion?: unknown;
        gates: { metric: string; rule: string; passed: boolean }[];
      };
    };
    const [a, b] = [JSON.parse(first.stdout) as Run, JSON.parse(second.stdout) as Run];
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(a.result.task).toBe("regression");
    expect(a.result.metrics.r2).toBeGreaterThan(0.9);
    expect(a.result.champion).toBeUndefined();
    expect(b.result.champion).toBeDefined();
    // Same seed, data and config: the challenger equals its champion, so maxIncrease is really applied.
    expect(b.result.metrics.rmse).toBe(a.result.metrics.rmse);
    expect(b.result.gates.map((g) => [g.metric, g.rule, g.passed])).toEqual([
      ["r2", "min", true],
      ["rmse", "maxIncrease", true],
    ]);
  });
});
