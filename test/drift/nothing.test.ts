import { describe, expect, test } from "vitest";
import { cli, project } from "../helpers/cli.js";
import { normals } from "./helpers.js";

const csv = (columns: Record<string, Array<number | string>>) => {
  const names = Object.keys(columns);
  const rows = columns[names[0]!]!.map((_, r) => names.map((n) => String(columns[n]![r])).join(","));
  return `${[names.join(","), ...rows].join("\n")}\n`;
};

const drift = (cwd: string, ...args: string[]) => cli(["drift", "--json", ...args], cwd);

describe("nothing to compare is never a pass", () => {
  test("empty current data: exit 1, 'nothing to compare'", async () => {
    const cwd = await project({ "ref.csv": csv({ x: normals(200, 1) }), "empty.csv": "x\n" });

    const run = await drift(cwd, "--reference", "ref.csv", "--current", "empty.csv");

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("nothing to compare: the current data has no rows");
    expect(run.stdout).toBe("");
  });

  test("no column shared with the reference: exit 1, both sides' columns named", async () => {
    const cwd = await project({
      "ref.csv": csv({ a: normals(200, 1), b: normals(200, 2) }),
      "renamed.csv": csv({ A: normals(200, 3), B: normals(200, 4) }),
    });

    const run = await drift(cwd, "--reference", "ref.csv", "--current", "renamed.csv");

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "nothing to compare: no column of the reference is in the current data (reference: a, b; current: A, B)",
    );
  });

  test("shared columns that cannot be compared (all missing in current): exit 1", async () => {
    const cwd = await project({
      "ref.csv": csv({ x: normals(50, 1) }),
      "blank.csv": csv({ x: Array.from({ length: 50 }, () => ""), note: normals(50, 2) }),
    });

    const run = await drift(cwd, "--reference", "ref.csv", "--current", "blank.csv");

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /nothing to compare: no column could be compared \(x: no numbers in current\)/,
    );
  });

  test("fewer rows than --min-rows (or drift.minRows): exit 1; at the minimum it compares", async () => {
    const cwd = await project({
      "ref.csv": csv({ x: normals(300, 1) }),
      "few.csv": csv({ x: normals(20, 2) }),
      "modelgate.yml": "version: 1\nname: m\ndata: { train: ref.csv, target: x }\ndrift: { minRows: 21 }\n",
    });

    const byFlag = await drift(cwd, "--reference", "ref.csv", "--current", "few.csv", "--min-rows", "50");
    const byConfig = await drift(cwd, "--reference", "ref.csv", "--current", "few.csv");
    const enough = await drift(cwd, "--reference", "ref.csv", "--current", "few.csv", "--min-rows", "20");

    expect([byFlag.code, byConfig.code, enough.code]).toEqual([1, 1, 0]);
    expect(byFlag.stderr).toContain("the current data has 20 rows, fewer than the minimum of 50");
    expect(byConfig.stderr).toContain("fewer than the minimum of 21");
    expect(JSON.parse(enough.stdout).columns).toHaveLength(1);
  });

  test("an unknown --columns name: exit 2 naming it and the flag", async () => {
    const cwd = await project({
      "ref.csv": csv({ a: normals(100, 1), b: normals(100, 2) }),
      "cur.csv": csv({ a: normals(100, 3), b: normals(100, 4) }),
    });

    const run = await drift(cwd, "--reference", "ref.csv", "--current", "cur.csv", "--columns", "a,missing");

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--columns: unknown column 'missing'; the reference has a, b");
  });

  test("a bad --min-rows exits 2 naming the flag", async () => {
    const cwd = await project({ "ref.csv": csv({ a: normals(10, 1) }) });

    const run = await drift(cwd, "--reference", "ref.csv", "--current", "ref.csv", "--min-rows", "0");

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--min-rows: expected a number >= 1, found '0'");
  });
});

describe("Evidently's default rules", () => {
  test("binary 10% -> 15% at 1,000 rows: pooled z-test p = 7.2e-4, drift (no effect-size cut by default)", async () => {
    // Exactly 100 and 150 of 1,000: scipy (statsmodels' proportions_ztest, pooled) gives z = 3.381, p = 7.22e-4.
    const ones = (k: number) => Array.from({ length: 1000 }, (_, i) => (i < k ? "yes" : "no"));
    const cwd = await project({ "ref.csv": csv({ b: ones(100) }), "cur.csv": csv({ b: ones(150) }) });

    const plain = await drift(cwd, "--reference", "ref.csv", "--current", "cur.csv");
    const filtered = await drift(
      cwd,
      "--reference",
      "ref.csv",
      "--current",
      "cur.csv",
      "--min-effect",
      "0.2",
    );

    expect(plain.code).toBe(1);
    const [column] = JSON.parse(plain.stdout).columns;
    expect(column).toMatchObject({ method: "z", drift: true, threshold: 0.05, effectMeasure: "cohens_h" });
    expect(Math.abs(column.statistic)).toBeCloseTo(3.381, 3);
    expect(column.pValue).toBeCloseTo(7.22e-4, 5);
    expect(column.minEffect).toBeUndefined();
    // Cohen's h = 0.1519 < 0.2: with the opt-in filter the same test does not count.
    expect(filtered.code).toBe(0);
    expect(JSON.parse(filtered.stdout).columns[0]).toMatchObject({ drift: false, minEffect: 0.2 });
  });

  test("--min-effect on heavy tails: a Cauchy shift of 0.5 keeps its size on the robust scale", async () => {
    // The ratio of two independent standard normals is standard Cauchy (no mean, no variance).
    const cauchy = (n: number, seed: number, shift: number) => {
      const den = normals(n, seed + 100);
      return normals(n, seed).map((z, i) => shift + z / den[i]!);
    };
    const cwd = await project({
      "ref.csv": csv({ x: cauchy(5000, 1, 0) }),
      "cur.csv": csv({ x: cauchy(5000, 2, 0.5) }),
    });

    const run = await drift(
      cwd,
      "--reference",
      "ref.csv",
      "--current",
      "cur.csv",
      "--method",
      "ks",
      "--min-effect",
      "0.1",
    );

    const [column] = JSON.parse(run.stdout).columns;
    expect(column.pValue).toBeLessThan(1e-10);
    expect(column.effectMeasure).toBe("wasserstein_iqr");
    expect(column.effectSize).toBeGreaterThan(0.1);
    expect(column.drift).toBe(true);
    expect(run.code).toBe(1);
  });
});
