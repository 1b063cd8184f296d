import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Cell } from "../../core/data/types.js";
import { compareProfiles, type DriftResult, detectDrift } from "../../core/drift/index.js";
import { silentLogger } from "../../core/ports.js";
import { tempDir } from "../helpers/temp.js";
import { categories, normals, profileOf } from "./helpers.js";

const CATS = ["alpha", "beta", "gamma", "delta"];
const EVEN = [1, 1, 1, 1];
const SKEWED = [3, 1, 1, 0.5];

/** n0..n3 numeric, c0..c1 categorical, b0 boolean; `shifted` names the columns moved. */
function table(rows: number, seed: number, shifted: string[] = []): Record<string, Cell[]> {
  const moved = (name: string) => shifted.includes(name);
  return {
    n0: normals(rows, seed + 1, moved("n0") ? 0.5 : 0),
    n1: normals(rows, seed + 2, moved("n1") ? 0.5 : 0).map((x) => x * 10 + 100),
    n2: normals(rows, seed + 3),
    n3: normals(rows, seed + 4).map((x) => Math.round(x * 100)),
    c0: categories(rows, seed + 5, CATS, moved("c0") ? SKEWED : EVEN),
    c1: categories(rows, seed + 6, CATS, EVEN),
    b0: categories(rows, seed + 7, ["true", "false"], moved("b0") ? [7, 3] : [1, 1]),
  };
}

const drifted = (result: DriftResult) => result.columns.filter((c) => c.drift).map((c) => c.column);

describe("synthetic scenarios", () => {
  test("100k rows: exactly the shifted columns are detected", () => {
    const reference = profileOf(table(100_000, 10));
    const current = profileOf(table(100_000, 20, ["n0", "n1", "c0", "b0"]));

    const result = compareProfiles(reference, current);

    expect(drifted(result)).toEqual(["n0", "n1", "c0", "b0"]);
    expect(result.columns.map((c) => c.method)).toEqual([
      "wasserstein",
      "wasserstein",
      "wasserstein",
      "wasserstein",
      "jensenshannon",
      "jensenshannon",
      "jensenshannon",
    ]);
    expect(result.share).toBeCloseTo(4 / 7, 12);
    expect(result.drift).toBe(true);
  });

  test("100k rows: with --min-effect, a trivial shift is significant but too small to count", () => {
    const reference = profileOf({ x: normals(100_000, 1) });
    const current = profileOf({ x: normals(100_000, 2, 0.03) });

    const [plain] = compareProfiles(reference, current, { method: "ks" }).columns;
    const [filtered] = compareProfiles(reference, current, { method: "ks", minEffect: 0.1 }).columns;

    expect(plain!.pValue).toBeLessThan(0.05);
    expect(plain!.drift).toBe(true);
    expect(plain!.minEffect).toBeUndefined();
    expect(filtered!.effectSize).toBeLessThan(0.1);
    expect(filtered!.drift).toBe(false);
  });

  test("small samples: Evidently's tests, the shifted columns only", () => {
    const reference = profileOf(table(400, 30));
    const current = profileOf(table(300, 40, ["n0", "c0", "b0"]));

    const result = compareProfiles(reference, current);

    expect(result.columns.map((c) => [c.column, c.method])).toEqual([
      ["n0", "ks"],
      ["n1", "ks"],
      ["n2", "ks"],
      ["n3", "ks"],
      ["c0", "chisquare"],
      ["c1", "chisquare"],
      ["b0", "z"],
    ]);
    expect(drifted(result)).toEqual(["n0", "c0", "b0"]);
    expect(result.drift).toBe(false);
  });

  test("a numeric column with few values is compared by its value counts", () => {
    const codes = (weights: number[], seed: number) =>
      categories(500, seed, ["1", "2", "3"], weights).map(Number);

    const result = compareProfiles(
      profileOf({ code: codes([1, 1, 1], 1) }),
      profileOf({ code: codes([1, 1, 4], 2) }),
    );

    expect(result.columns[0]).toMatchObject({ column: "code", method: "chisquare", drift: true });
  });

  test("the verdict follows the threshold on the drifted share", () => {
    const reference = profileOf(table(2000, 50));
    const current = profileOf(table(2000, 60, ["n0", "n1"]));

    const low = compareProfiles(reference, current, { threshold: 0.25 });
    const high = compareProfiles(reference, current, { threshold: 0.5 });

    expect([low.share, low.drift, high.drift]).toEqual([2 / 7, true, false]);
  });

  test("missing and new columns, unseen categories, NaN and Inf are reported", () => {
    const reference = profileOf({ a: ["x", "y", "x", "y"], gone: [1, 2, 3, 4], v: [1, 2, 3, 4] });
    const current = profileOf({
      a: ["x", "z", "z", "y"],
      added: [1, 2, 3, 4],
      v: [1, Number.NaN, "inf", ""],
    });

    const result = compareProfiles(reference, current);

    expect(result.missingColumns).toEqual(["gone"]);
    expect(result.newColumns).toEqual(["added"]);
    expect(result.columns.find((c) => c.column === "a")!.unseen).toEqual([{ value: "z", count: 2 }]);
    expect(result.columns.find((c) => c.column === "v")!.current).toMatchObject({
      count: 4,
      missing: 1,
      nan: 1,
      inf: 1,
    });
  });

  test("--columns and excluded columns limit what is compared", () => {
    const reference = profileOf(table(500, 70));
    const current = profileOf(table(500, 80));

    const result = compareProfiles(reference, current, { columns: ["n0", "c0", "b0"], exclude: ["b0"] });

    expect(result.columns.map((c) => c.column)).toEqual(["n0", "c0"]);
  });

  test("results are deterministic", () => {
    const reference = profileOf(table(5000, 90));
    const current = profileOf(table(5000, 91, ["n1"]));

    expect(compareProfiles(reference, current)).toEqual(compareProfiles(reference, current));
  });
});

describe("stored profile vs raw data", () => {
  async function files(rows: number, shifted: string[]) {
    const dir = await tempDir("mg-drift-");
    const csv = (columns: Record<string, Cell[]>) => {
      const names = Object.keys(columns);
      const n = columns[names[0]!]!.length;
      const lines = [names.join(",")];
      for (let r = 0; r < n; r++) lines.push(names.map((name) => String(columns[name]![r])).join(","));
      return `${lines.join("\n")}\n`;
    };
    const ref = table(rows, 100);
    await writeFile(path.join(dir, "reference.csv"), csv(ref));
    await writeFile(path.join(dir, "profile.json"), JSON.stringify(profileOf(ref)));
    await writeFile(path.join(dir, "current.csv"), csv(table(rows, 200, shifted)));
    return dir;
  }

  for (const rows of [600, 20_000]) {
    test(`${rows} rows: the same verdict on every column from a profile and from raw data`, async () => {
      const cwd = await files(rows, ["n0", "n1", "c0"]);
      const options = { cwd, logger: silentLogger };

      const raw = await detectDrift("reference.csv", "current.csv", options);
      const stored = await detectDrift("profile.json", "current.csv", options);

      const verdicts = (r: DriftResult) => r.columns.map((c) => [c.column, c.method, c.drift]);
      expect(verdicts(stored)).toEqual(verdicts(raw));
      expect(drifted(raw)).toEqual(["n0", "n1", "c0"]);
      expect(raw.columns.find((c) => c.column === "n0")!.source).toBe("exact");
      expect(stored.columns.find((c) => c.column === "n0")!.source).toBe("grid");
    });
  }
});
