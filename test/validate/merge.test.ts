import { describe, expect, it } from "vitest";
import type { Cell } from "../../core/data/types.js";
import { Validator, validateSources } from "../../core/validate/index.js";
import { batchesOf, batchOf, schemaOf, sourceOf } from "./helpers.js";

const header = ["id", "age", "city", "score"];
const schema = schemaOf({
  rows: { duplicates: "error" },
  columns: {
    id: { type: "string", unique: true },
    age: { type: "integer", min: 0, max: 99, nullable: false },
    city: { type: "category", values: ["a", "b", "c"] },
    score: { type: "number", mostly: 0.9 },
  },
});

/** 400 rows with failures of every kind spread over both halves, and repeats across them. */
function table(): Cell[][] {
  return Array.from({ length: 400 }, (_, i): Cell[] => {
    const repeat = i % 97 === 50 ? i - 37 : i >= 250 && i % 61 === 0 ? i - 200 : i;
    return [
      `id-${repeat % 150 === 149 ? 3 : repeat}`,
      i % 43 === 7 ? "" : String(repeat % 120),
      ["a", "b", "c", "z"][repeat % 4 === 3 && repeat % 5 === 0 ? 3 : repeat % 3]!,
      i % 13 === 0 ? "n/a?" : String(repeat / 4),
    ];
  });
}

function run(batches: ReturnType<typeof batchesOf>, maxErrors: number): Validator {
  const validator = new Validator(schema, header, { maxErrors, target: "city" });
  for (const batch of batches) validator.add(batch);
  return validator;
}

describe("Validator.merge", () => {
  it.each([3, 20])(
    "gives what one sequential pass gives (maxErrors %i), whichever half merges into which",
    (max) => {
      const batches = batchesOf(table(), 64);
      const sequential = run(batches, max).finish({ fingerprint: "f", file: "d.csv" });
      const first = run(batches.slice(0, 3), max);
      const second = run(batches.slice(3), max);
      const reversed = run(batches.slice(3), max);

      first.merge(structuredClone(second.toState()));
      reversed.merge(Validator.fromState(structuredClone(run(batches.slice(0, 3), max).toState())));

      expect(sequential.errors.map((issue) => issue.check)).toEqual([
        "unique",
        "null",
        "max",
        "values",
        "duplicate_row",
      ]);
      expect(sequential.warnings.map((issue) => issue.check)).toEqual(["type"]);
      expect(first.finish({ fingerprint: "f", file: "d.csv" })).toEqual(sequential);
      expect(reversed.finish({ fingerprint: "f", file: "d.csv" })).toEqual(sequential);
    },
  );

  it("finds duplicate rows and repeated unique values that straddle the two halves", () => {
    const rows: Cell[][] = [
      ["x", "1", "a", "1"],
      ["y", "2", "b", "2"],
      ["x", "1", "a", "1"],
    ];
    const first = run([batchOf(rows.slice(0, 2))], 20);
    const lastOnly = run([batchOf(rows.slice(2), { firstLine: 4 })], 20);

    first.merge(lastOnly);
    const merged = first.finish({ fingerprint: "", file: "d.csv" });

    expect(
      merged.errors.filter((issue) => issue.check === "unique" || issue.check === "duplicate_row"),
    ).toEqual([
      {
        check: "unique",
        column: "id",
        lines: [4],
        count: 1,
        message: "id: value repeats the one on line 2 (line 4)",
      },
      { check: "duplicate_row", lines: [4], count: 1, message: "row repeats line 2 (line 4)" },
    ]);
    expect(merged.rows).toBe(3);
  });

  it("refuses to merge validators made for different headers", () => {
    const other = new Validator(schema, ["id", "age"], {});

    expect(() => run([], 20).merge(other)).toThrow(/different headers/);
  });
});

describe("validateSources", () => {
  it("validates one source like a Validator fed its batches", async () => {
    const batches = batchesOf(table(), 50);

    const result = await validateSources(
      [sourceOf("d.csv", header, batches)],
      schema,
      { target: "city" },
      { fingerprint: "f" },
    );

    expect(result).toEqual(run(batches, 20).finish({ fingerprint: "f", file: "d.csv" }));
  });

  it("names each issue's file when several files are validated", async () => {
    const good = sourceOf("a.csv", header, batchesOf([["1", "5", "a", "0.5"]], 10));
    const bad = sourceOf("b.csv", header, batchesOf([["2", "500", "a", "0.5"]], 10));

    const result = await validateSources([good, bad], schema);

    expect(result).toMatchObject({ ok: false, file: "a.csv, b.csv", rows: 2, columns: 4 });
    expect(result.errors).toEqual([
      {
        check: "max",
        column: "age",
        file: "b.csv",
        lines: [2],
        count: 1,
        message: "age: 500 is above max 99 (line 2)",
      },
    ]);
  });
});

describe("schema-less merge", () => {
  it("type changes found in two halves merge into what one pass finds, whichever half merges into which", () => {
    const rows = table();
    const bare = schemaOf({ rows: { duplicates: "warning" }, columns: {}, additionalColumns: true });
    const make = (part: ReturnType<typeof batchesOf>) => {
      const validator = new Validator(bare, header, { schemaless: true, target: "city" });
      for (const batch of part) validator.add(batch);
      return validator;
    };
    const batches = batchesOf(rows, 64);
    const sequential = make(batches).finish({ fingerprint: "f", file: "d.csv" });
    const first = make(batches.slice(0, 3));
    const reversed = make(batches.slice(3));

    first.merge(structuredClone(make(batches.slice(3)).toState()));
    reversed.merge(structuredClone(make(batches.slice(0, 3)).toState()));

    expect(sequential.errors.map((issue) => [issue.check, issue.column, issue.lines])).toEqual([
      ["type_change", "score", [2]],
    ]);
    expect(first.finish({ fingerprint: "f", file: "d.csv" })).toEqual(sequential);
    expect(reversed.finish({ fingerprint: "f", file: "d.csv" })).toEqual(sequential);
  });
});
