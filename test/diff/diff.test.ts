import { describe, expect, test } from "vitest";
import type { Cell } from "../../core/data/types.js";
import { DataDiff, diffData, renderDiffMarkdown } from "../../core/diff/index.js";
import { UserError } from "../../core/errors.js";
import { memorySource, mulberry32 } from "../profile/helpers.js";

const COLUMNS = ["id", "age", "city"];
const OLD: Cell[][] = [
  ["1", "30", "Berlin"],
  ["2", "41", "Paris"],
  ["3", "25", "Rome"],
  ["4", "52", "Oslo"],
];
const NEW: Cell[][] = [
  ["1", "30", "Berlin"],
  ["2", "42", "Paris"],
  ["4", "52", "Bergen"],
  ["5", "19", "Madrid"],
  ["5", "20", "Madrid"],
];

describe("rows by id", () => {
  test("added, removed and changed rows are counted, with examples naming the changed columns", async () => {
    const before = [memorySource("old.csv", COLUMNS, OLD)];
    const after = [memorySource("new.csv", COLUMNS, NEW, 2)];

    const diff = await diffData(before, after, { id: "id" });

    expect(diff.rows).toEqual({ old: 4, new: 5 });
    expect(diff.byId).toEqual({
      id: "id",
      added: 1,
      removed: 1,
      changed: 2,
      unchanged: 1,
      changedColumns: { age: 1, city: 1 },
      missingIds: { old: 0, new: 0 },
      duplicates: { old: 0, new: 1, examples: ["5"] },
      examples: {
        added: ["5"],
        removed: ["3"],
        changed: [
          { id: "2", columns: ["age"] },
          { id: "4", columns: ["city"] },
        ],
      },
    });
    expect(diff.byContent).toBeUndefined();
    expect(DataDiff.parse(diff)).toEqual(diff);
  });

  test("cells compare as values: typed numbers equal their text, null equals empty", async () => {
    const before = [memorySource("old.csv", COLUMNS, [["1", "30.0", ""]])];
    const after = [memorySource("new.jsonl", COLUMNS, [[1, 30, null]])];

    const diff = await diffData(before, after, { id: "id" });

    expect(diff.byId).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 1 });
  });

  test("examples are capped by maxExamples", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [String(i), "1", "x"] as Cell[]);

    const diff = await diffData(
      [memorySource("old.csv", COLUMNS, [])],
      [memorySource("new.csv", COLUMNS, rows)],
      {
        id: "id",
        maxExamples: 3,
      },
    );

    expect(diff.byId?.added).toBe(30);
    expect(diff.byId?.examples.added).toEqual(["0", "1", "2"]);
  });

  test("an id column that one side lacks is a user error naming the column", async () => {
    const before = [memorySource("old.csv", COLUMNS, OLD)];
    const after = [memorySource("new.csv", ["key", "age"], [["1", "2"]])];

    const diff = diffData(before, after, { id: "id" });

    await expect(diff).rejects.toThrow(UserError);
    await expect(diffData(before, after, { id: "id" })).rejects.toThrow(
      /no column "id".*found columns: key, age/,
    );
  });
});

describe("rows without an id", () => {
  test("rows are compared as a multiset of whole rows", async () => {
    const before = [memorySource("old.csv", COLUMNS, [...OLD, OLD[0]!])];
    const after = [memorySource("new.csv", COLUMNS, NEW)];

    const diff = await diffData(before, after);

    // Old has row 1 twice, new once; rows 2 and 4 changed (counted as removed + added), 3 removed, both 5s added.
    expect(diff.byContent).toEqual({ added: 4, removed: 4, unchanged: 1 });
    expect(diff.byId).toBeUndefined();
  });
});

describe("columns", () => {
  test("added and removed columns are listed; rows compare on the shared ones", async () => {
    const before = [memorySource("old.csv", ["id", "age", "city"], [["1", "30", "Berlin"]])];
    const after = [memorySource("new.csv", ["id", "age", "email"], [["1", "30", "a@b.c"]])];

    const diff = await diffData(before, after, { id: "id" });

    expect(diff.columns).toEqual({ added: ["email"], removed: ["city"] });
    expect(diff.byId).toMatchObject({ changed: 0, unchanged: 1 });
    expect(diff.distributions.map((d) => d.column)).toEqual(["age"]);
  });
});

describe("distributions", () => {
  function normalRows(n: number, seed: number, shift: number): Cell[][] {
    const rand = mulberry32(seed);
    return Array.from({ length: n }, (_, i) => {
      const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      const stable = 50 + 10 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      return [String(i), (100 + shift + 15 * z).toFixed(2), stable.toFixed(2)];
    });
  }

  test("a shifted numeric column shows a large Wasserstein distance, an unshifted one a tiny one", async () => {
    const columns = ["id", "shifted", "stable"];
    const before = [memorySource("old.csv", columns, normalRows(4000, 1, 0), 500)];
    const after = [memorySource("new.csv", columns, normalRows(4000, 2, 30), 500)];

    const diff = await diffData(before, after);
    const [shifted, stable] = ["shifted", "stable"].map(
      (c) => diff.distributions.find((d) => d.column === c)!.numeric!,
    );

    expect(shifted!.normalizedWasserstein).toBeGreaterThan(1.5);
    expect(shifted!.wasserstein).toBeGreaterThan(27);
    expect(shifted!.mean.new - shifted!.mean.old).toBeGreaterThan(27);
    expect(stable!.normalizedWasserstein).toBeLessThan(0.1);
  });

  test("categories that appear, vanish or change share are reported", async () => {
    const before = [memorySource("old.csv", ["c"], [["a"], ["a"], ["b"], ["x"]])];
    const after = [memorySource("new.csv", ["c"], [["a"], ["b"], ["b"], ["y"]])];

    const diff = await diffData(before, after);

    expect(diff.distributions[0]!.categorical).toEqual({
      truncated: false,
      added: [{ value: "y", count: 1 }],
      removed: [{ value: "x", count: 1 }],
      shareChanges: [
        { value: "a", old: 0.5, new: 0.25, change: -0.25 },
        { value: "b", old: 0.25, new: 0.5, change: 0.25 },
        { value: "x", old: 0.25, new: 0, change: -0.25 },
        { value: "y", old: 0, new: 0.25, change: 0.25 },
      ],
    });
  });
});

describe("markdown", () => {
  test("names the row counts, changed rows and escapes values", async () => {
    const rows = NEW.map((r) => [...r]);
    rows[2]![2] = "Ber|gen`x";
    const diff = await diffData(
      [memorySource("old.csv", COLUMNS, OLD)],
      [memorySource("new.csv", COLUMNS, rows)],
      {
        id: "id",
      },
    );

    const markdown = renderDiffMarkdown(diff);

    expect(markdown).toContain("**Rows**: 4 → 5 (by `id`: 1 added, 1 removed, 2 changed, 1 unchanged).");
    expect(markdown).toMatch(/\| `2`\s+\| `age`\s+\|/);
    expect(markdown).toContain("**Duplicate ids**: 0 in old, 1 in new (`5`).");
    expect(markdown).not.toContain("Ber|gen");
  });
});
