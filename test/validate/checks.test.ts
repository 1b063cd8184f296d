import { describe, expect, it } from "vitest";
import type { Cell } from "../../core/data/types.js";
import type { DataSchemaInput } from "../../core/data-schema/schema.js";
import {
  type Issue,
  type ValidateOptionsInput,
  ValidationResult,
  Validator,
} from "../../core/validate/index.js";
import { batchOf, schemaOf } from "./helpers.js";

function validate(
  schema: DataSchemaInput,
  header: string[],
  rows: Cell[][],
  options: ValidateOptionsInput = {},
): ValidationResult {
  const validator = new Validator(schemaOf(schema), header, options);
  validator.add(batchOf(rows));
  return validator.finish({ fingerprint: "fp", file: "data.csv" });
}

function only(issues: Issue[], check: string): Issue[] {
  return issues.filter((issue) => issue.check === check);
}

describe("Validator checks", () => {
  it("reports a value above max with its line, count and a message naming found and expected", () => {
    const schema: DataSchemaInput = { columns: { age: { type: "integer", min: 0, max: 120 } } };

    const result = validate(schema, ["age"], [["30"], ["130"], ["-1"], ["121"]]);

    expect(result.errors).toEqual([
      { check: "min", column: "age", lines: [4], count: 1, message: "age: -1 is below min 0 (line 4)" },
      {
        check: "max",
        column: "age",
        lines: [3, 5],
        count: 2,
        message: "age: 130 is above max 120 (line 3; 2 rows in all)",
      },
    ]);
    expect(result.ok).toBe(false);
  });

  it("tells non-numbers from non-finite numbers and non-integers", () => {
    const schema: DataSchemaInput = { columns: { n: { type: "number" }, i: { type: "integer" } } };

    const result = validate(
      schema,
      ["n", "i"],
      [
        ["inf", "1.5"],
        ["abc", "x"],
        ["Infinity", "7"],
        [" ", "-inf"],
        ["1e3", "2.0"],
      ],
    );

    expect(only(result.errors, "type")).toEqual([
      {
        check: "type",
        column: "n",
        lines: [2, 3, 4, 5],
        count: 4,
        message: "n: 'inf' is not a finite number (line 2; 4 rows in all)",
      },
      {
        check: "type",
        column: "i",
        lines: [2, 3, 5],
        count: 3,
        message: "i: '1.5' is not an integer (line 2; 3 rows in all)",
      },
    ]);
  });

  it("checks categories, patterns, lengths, booleans and datetimes", () => {
    const schema: DataSchemaInput = {
      columns: {
        country: { type: "category", values: ["DE", "FR"] },
        email: { type: "string", pattern: "^.+@.+$", maxLength: 6 },
        flag: { type: "boolean" },
        day: { type: "datetime", max: "2024-12-31" },
      },
    };
    const rows: Cell[][] = [
      ["DE", "a@b", "yes", "2024-01-01"],
      ["US", "nope", "TRUE", "2024-02-30"],
      ["FR", "long@mail", "maybe", "2025-01-01T10:00:00Z"],
    ];

    const result = validate(schema, ["country", "email", "flag", "day"], rows);

    expect(
      result.errors.map(({ check, column, lines, message }) => ({ check, column, lines, message })),
    ).toEqual([
      {
        check: "values",
        column: "country",
        lines: [3],
        message: "country: 'US' is not one of DE, FR (line 3)",
      },
      {
        check: "pattern",
        column: "email",
        lines: [3],
        message: "email: 'nope' does not match pattern ^.+@.+$ (line 3)",
      },
      {
        check: "length",
        column: "email",
        lines: [4],
        message: "email: 'long@mail' has 9 characters, longer than maxLength 6 (line 4)",
      },
      {
        check: "type",
        column: "flag",
        lines: [4],
        message: "flag: 'maybe' is not a boolean (true/false, yes/no, 1/0) (line 4)",
      },
      {
        check: "type",
        column: "day",
        lines: [3],
        message: "day: '2024-02-30' is not a date (ISO 8601, YYYY/MM/DD HH:MM or MM/DD/YYYY) (line 3)",
      },
      {
        check: "max",
        column: "day",
        lines: [4],
        message: "day: '2025-01-01T10:00:00Z' is after max 2024-12-31 (line 4)",
      },
    ]);
  });

  it("accepts typed JSON cells", () => {
    const schema: DataSchemaInput = {
      columns: {
        n: { type: "integer", max: 5 },
        b: { type: "boolean" },
        c: { type: "category", values: [1, 2] },
      },
    };

    const result = validate(
      schema,
      ["n", "b", "c"],
      [
        [3, true, 1],
        [4, false, 2],
        [null, null, null],
      ],
    );

    expect(result).toMatchObject({ ok: true, errors: [], rows: 3 });
  });

  it("reports missing values only where nullable is false, and a missing target always", () => {
    const schema: DataSchemaInput = {
      columns: { a: { type: "string", nullable: false }, b: { type: "string" }, y: { type: "category" } },
    };

    const result = validate(
      schema,
      ["a", "b", "y"],
      [
        ["x", "", "1"],
        ["", null, ""],
        [null, "z", null],
      ],
      { target: "y" },
    );

    expect(result.errors).toEqual([
      {
        check: "null",
        column: "a",
        lines: [3, 4],
        count: 2,
        message: "a: missing value, but nullable is false (line 3; 2 rows in all)",
      },
      {
        check: "target_null",
        column: "y",
        lines: [3, 4],
        count: 2,
        message: "y: the target value is missing (line 3; 2 rows in all)",
      },
    ]);
  });

  it("reports missing, unexpected and target columns against the header", () => {
    const schema: DataSchemaInput = {
      columns: { a: { type: "string" }, b: { type: "string" }, y: { type: "category" } },
    };

    const result = validate(schema, ["a", "extra"], [["1", "2"]], { target: "y" });

    expect(result.errors.map(({ check, column, lines }) => ({ check, column, lines }))).toEqual([
      { check: "target_missing", column: "y", lines: [1] },
      { check: "missing_column", column: "b", lines: [1] },
      { check: "unexpected_column", column: "extra", lines: [1] },
    ]);
    expect(result.errors[0]!.message).toBe("the target column 'y' is not in the data (columns: a, extra)");
  });

  it("allows unlisted columns with additionalColumns: true", () => {
    const result = validate(
      { columns: { a: { type: "string" } }, additionalColumns: true },
      ["a", "b"],
      [["1", "2"]],
    );

    expect(result.ok).toBe(true);
  });

  it("reports ragged and malformed records with their reasons", () => {
    const validator = new Validator(
      schemaOf({ columns: { a: { type: "string" }, b: { type: "string" } } }),
      ["a", "b"],
      {},
    );

    validator.add(
      batchOf([["1", "2"]], {
        ragged: [
          { line: 3, cells: 3 },
          { line: 7, cells: 0, reason: "not a JSON object" },
        ],
      }),
    );
    const result = validator.finish({ fingerprint: "", file: "d.csv" });

    expect(result.errors).toEqual([
      {
        check: "ragged_row",
        lines: [3, 7],
        count: 2,
        message: "record has 3 cells, expected 2 (line 3; 2 rows in all)",
      },
    ]);
  });

  it("reports row-count bounds and a header-only file", () => {
    const schema: DataSchemaInput = { rows: { min: 2, max: 3 }, columns: { a: { type: "string" } } };

    const few = validate(schema, ["a"], [["1"]]);
    const many = validate(schema, ["a"], [["1"], ["2"], ["3"], ["4"]]);
    const none = validate({ columns: { a: { type: "string" } } }, ["a"], []);

    expect(only(few.errors, "rows").map((issue) => issue.message)).toEqual([
      "1 data rows, fewer than rows.min 2",
    ]);
    expect(only(many.errors, "rows").map((issue) => issue.message)).toEqual([
      "4 data rows, more than rows.max 3",
    ]);
    expect(none.errors).toEqual([
      { check: "rows", lines: [], count: 0, message: "no data rows: the file has a header only or is empty" },
    ]);
  });

  it("reports later occurrences of whole-row duplicates, as a warning unless rows.duplicates is error", () => {
    const rows: Cell[][] = [
      ["1", "a"],
      ["2", "b"],
      ["1", "a"],
      ["1", "b"],
      ["1", "a"],
      ["2", "b"],
    ];
    const columns: DataSchemaInput["columns"] = { n: { type: "integer" }, s: { type: "string" } };

    const warned = validate({ columns }, ["n", "s"], rows);
    const failed = validate({ rows: { duplicates: "error" }, columns }, ["n", "s"], rows);
    const ignored = validate({ rows: { duplicates: "ignore" }, columns }, ["n", "s"], rows);

    expect(warned.warnings).toEqual([
      {
        check: "duplicate_row",
        lines: [4, 6, 7],
        count: 3,
        message: "row repeats line 2 (line 4; 3 rows in all); rows.duplicates: error makes this an error",
      },
    ]);
    expect(warned.ok).toBe(true);
    expect(failed.errors).toEqual([
      {
        check: "duplicate_row",
        lines: [4, 6, 7],
        count: 3,
        message: "row repeats line 2 (line 4; 3 rows in all)",
      },
    ]);
    expect(ignored.warnings).toEqual([]);
  });

  it("reports repeated values of unique columns and of the id column, ignoring missing values", () => {
    const schema: DataSchemaInput = {
      columns: { k: { type: "string", unique: true }, id: { type: "integer" } },
    };

    const result = validate(
      schema,
      ["k", "id"],
      [
        ["a", "1"],
        ["b", "2"],
        ["a", "1"],
        ["", "3"],
        ["", "1"],
      ],
      { id: "id" },
    );

    expect(result.errors).toEqual([
      {
        check: "unique",
        column: "k",
        lines: [4],
        count: 1,
        message: "k: value repeats the one on line 2 (line 4)",
      },
      {
        check: "unique",
        column: "id",
        lines: [4, 6],
        count: 2,
        message: "id: value repeats the one on line 2 (line 4; 2 rows in all)",
      },
    ]);
  });

  it("caps listed lines at maxErrors but counts every failure", () => {
    const rows: Cell[][] = Array.from({ length: 50 }, () => ["x"]);

    const result = validate({ columns: { n: { type: "number" } } }, ["n"], rows, { maxErrors: 3 });

    expect(result.errors[0]).toMatchObject({ check: "type", lines: [2, 3, 4], count: 50 });
  });

  it("turns failures into warnings while the passing share stays at or above mostly", () => {
    const rows: Cell[][] = [["1"], ["2"], ["3"], ["-4"]];

    const tolerated = validate({ columns: { n: { type: "number", min: 0, mostly: 0.75 } } }, ["n"], rows);
    const refused = validate({ columns: { n: { type: "number", min: 0, mostly: 0.8 } } }, ["n"], rows);

    expect(tolerated.ok).toBe(true);
    expect(tolerated.warnings).toEqual([
      {
        check: "min",
        column: "n",
        lines: [5],
        count: 1,
        message: "n: -4 is below min 0 (line 5); 75% of rows pass, within mostly 0.75",
      },
    ]);
    expect(refused.errors).toEqual([
      {
        check: "min",
        column: "n",
        lines: [5],
        count: 1,
        message: "n: -4 is below min 0 (line 5); 75% of rows pass, below mostly 0.8",
      },
    ]);
  });

  it("warns about class imbalance beyond imbalanceRatio", () => {
    const rows: Cell[][] = [...Array.from({ length: 12 }, () => ["no"]), ["yes"]];
    const schema: DataSchemaInput = {
      columns: { y: { type: "category", values: ["no", "yes"] } },
      rows: { duplicates: "ignore" },
    };

    const imbalanced = validate(schema, ["y"], rows, { target: "y" });
    const tolerated = validate(schema, ["y"], rows, { target: "y", imbalanceRatio: 12 });

    expect(imbalanced.warnings).toEqual([
      {
        check: "class_imbalance",
        column: "y",
        lines: [],
        count: 1,
        message: "y: class 'no' has 12 rows, 12.0 times the 1 of class 'yes' (more than imbalanceRatio 10)",
      },
    ]);
    expect(tolerated.warnings).toEqual([]);
  });

  it("produces a result that parses with its own schema", () => {
    const result = validate({ columns: { a: { type: "integer", max: 1 } } }, ["a", "b"], [["5", "x"]], {
      target: "a",
    });

    expect(ValidationResult.parse(result)).toEqual(result);
  });
});

describe("datetime units", () => {
  it("reads epoch seconds where a datetime column declares unit: s, and bounds them as dates", () => {
    const schema: DataSchemaInput = { columns: { t: { type: "datetime", unit: "s", max: "2024-01-01" } } };

    const result = validate(schema, ["t"], [["1700000000"], [1800000000], ["yesterday"]]);

    expect(result.errors.map(({ check, lines }) => ({ check, lines }))).toEqual([
      { check: "type", lines: [4] },
      { check: "max", lines: [3] },
    ]);
  });
});
