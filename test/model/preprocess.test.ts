import { describe, expect, it } from "vitest";
import type { Cell } from "../../core/data/types.js";
import { UserError } from "../../core/errors.js";
import type { Table } from "../../core/model/index.js";
import { fitPreprocessor, transform, transformRecords } from "../../core/model/index.js";

const table: Table = {
  columns: ["id", "age", "city", "member", "churned"],
  data: [
    ["a", "b", "c", "d", "e"],
    ["30", "", "40", "50", "20"],
    ["Berlin", "Paris", "Berlin", "", "Rome"],
    ["yes", "no", "true", "false", ""],
    ["no", "yes", "no", "no", "yes"],
  ],
};

function thrown(work: () => unknown): UserError {
  try {
    work();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("fitPreprocessor", () => {
  it("learns numeric, categorical and boolean features and label-encodes the target", () => {
    const prep = fitPreprocessor(table, { target: "churned", id: "id" });

    expect(prep).toEqual({
      id: "id",
      target: { task: "classification", name: "churned", classes: ["no", "yes"] },
      features: [
        { name: "age", kind: "numeric", median: 35, mean: 35, std: Math.sqrt(125), missingIndicator: true },
        {
          name: "city",
          kind: "categorical",
          categories: ["Berlin", "Paris", "Rome"],
          shares: [0.5, 0.25, 0.25, 0],
        },
        { name: "member", kind: "boolean", fill: 0.5 },
      ],
      roles: [
        { name: "id", role: "id" },
        { name: "age", role: "feature" },
        { name: "city", role: "feature" },
        { name: "member", role: "feature" },
        { name: "churned", role: "target" },
      ],
    });
  });

  it("infers regression for a numeric target with many distinct or fractional values", () => {
    const rows = Array.from({ length: 30 }, (_, i) => i);
    const many: Table = { columns: ["x", "y"], data: [rows, rows.map((i) => i * 3)] };
    const fractional: Table = {
      columns: ["x", "y"],
      data: [
        [1, 2, 3],
        [0.5, 1, 2],
      ],
    };
    const few: Table = {
      columns: ["x", "y"],
      data: [
        [1, 2, 3],
        ["1", "0", "2"],
      ],
    };

    expect(fitPreprocessor(many, { target: "y" }).target.task).toBe("regression");
    expect(fitPreprocessor(fractional, { target: "y" }).target.task).toBe("regression");
    expect(fitPreprocessor(few, { target: "y" }).target).toEqual({
      task: "classification",
      name: "y",
      classes: ["0", "1", "2"],
    });
  });

  it("caps categories at the 100 most frequent", () => {
    const cells = Array.from({ length: 300 }, (_, i) => `c${i < 100 ? 0 : i % 150}`);
    const wide: Table = { columns: ["c", "y"], data: [cells, cells.map((_, i) => i % 2)] };

    const prep = fitPreprocessor(wide, { target: "y" });

    const feature = prep.features[0]!;
    expect(feature.kind === "categorical" && feature.categories.length).toBe(100);
    expect(feature.kind === "categorical" && feature.categories[0]).toBe("c0");
  });

  it("refuses a single-class target, an all-missing feature and unknown feature names", () => {
    const single: Table = {
      columns: ["x", "y"],
      data: [
        [1, 2],
        ["a", "a"],
      ],
    };
    const empty: Table = {
      columns: ["x", "blank", "y"],
      data: [
        [1, 2],
        ["", null],
        ["a", "b"],
      ],
    };

    expect(thrown(() => fitPreprocessor(single, { target: "y" })).message).toMatch(/single class \("a"\)/);
    expect(thrown(() => fitPreprocessor(empty, { target: "y", features: ["x", "blank"] })).message).toMatch(
      /feature "blank" has no values.*drop it/,
    );
    expect(thrown(() => fitPreprocessor(single, { target: "y", features: ["x", "z"] })).message).toMatch(
      /feature columns not found in the data: z/,
    );
    expect(thrown(() => fitPreprocessor(single, { target: "q" })).message).toMatch(
      /"q" not found; the data has columns: x, y/,
    );
  });
});

describe("transform", () => {
  it("imputes, standardises, one-hot encodes (an unseen city as the training mix) and flags missing values", () => {
    const prep = fitPreprocessor(table, { target: "churned", id: "id" });
    const test: Table = {
      columns: ["age", "city", "member", "churned"],
      data: [
        ["", "35"],
        ["Madrid", "Paris"],
        [null, "yes"],
        ["yes", "no"],
      ],
    };

    const { x, y, rows } = transform(prep, test);

    expect(rows).toBe(2);
    expect(Array.from(x)).toEqual([0, 1, 0.5, 0.25, 0.25, 0, 0.5, 0, 0, 0, 1, 0, 0, 1]);
    expect(Array.from(y!)).toEqual([1, 0]);
  });

  it("names labels the model never saw and feature columns the data lacks", () => {
    const prep = fitPreprocessor(table, { target: "churned", id: "id" });
    const unseen: Table = {
      columns: ["age", "city", "member", "churned"],
      data: [["1"], ["Rome"], ["no"], ["maybe"]],
    };
    const lacking: Table = { columns: ["age"], data: [["1"]] };

    expect(thrown(() => transform(prep, unseen)).message).toMatch(/not trained on: "maybe"/);
    expect(thrown(() => transform(prep, lacking)).message).toMatch(
      /lacks the model's feature columns: city, member/,
    );
  });
});

describe("transformRecords", () => {
  const prep = fitPreprocessor(table, { target: "churned", id: "id" });

  it("encodes JSON records like the table path", () => {
    const records = [{ age: 35, city: "Paris", member: true, id: "z" }];

    const x = transformRecords(prep, records);

    expect(Array.from(x)).toEqual([0, 0, 0, 1, 0, 0, 1]);
  });

  it("names instances[i].field for unknown and missing columns and wrong types", () => {
    const base = { age: 1, city: "Rome", member: false };

    expect(thrown(() => transformRecords(prep, [base, { ...base, colour: "x" }])).location.field).toBe(
      "instances[1].colour",
    );
    expect(thrown(() => transformRecords(prep, [{ age: 1, city: "Rome" }])).location.field).toBe(
      "instances[0].member",
    );
    expect(thrown(() => transformRecords(prep, [{ ...base, age: "old" }])).message).toMatch(
      /expected a number or null/,
    );
    expect(thrown(() => transformRecords(prep, [{ ...base, city: { a: 1 } }])).location.field).toBe(
      "instances[0].city",
    );
    expect(thrown(() => transformRecords(prep, [{ ...base, member: 3 }])).location.field).toBe(
      "instances[0].member",
    );
  });
});

describe("column roles", () => {
  const n = 150;
  const rows = Array.from({ length: n }, (_, i) => i);
  const table: Table = {
    columns: ["row", "code", "when", "country", "blank", "x", "y"],
    data: [
      rows.map((i) => i + 1000),
      rows.map((i) => `K-${i * 7}`),
      rows.map(
        (i) => `2024/01/${String((i % 28) + 1).padStart(2, "0")} ${String(i % 24).padStart(2, "0")}:30`,
      ),
      rows.map(() => "USA"),
      rows.map(() => "NA"),
      rows.map((i) => (i * 37) % 11),
      rows.map((i) => (i % 3 === 0 ? "a" : "b")),
    ],
  };

  it("expands dates and leaves out sequences, near-unique text and constant columns, with warnings", () => {
    const warnings: string[] = [];

    const prep = fitPreprocessor(table, { target: "y", warn: (m) => warnings.push(m) });

    expect(prep.features.map((f) => [f.name, f.kind])).toEqual([
      ["when", "datetime"],
      ["x", "numeric"],
    ]);
    expect(prep.roles?.map((r) => r.role)).toEqual([
      "id-like",
      "id-like",
      "datetime",
      "constant",
      "constant",
      "feature",
      "target",
    ]);
    expect(warnings).toEqual([
      "column 'row' is left out of the features: an integer sequence (every value distinct, no gaps)",
      "column 'code' is left out of the features: near-unique text (150 distinct values in 150 rows)",
      "column 'country' is left out of the features: one value in every row",
      "column 'blank' is left out of the features: every value is missing",
    ]);
  });

  it("encodes a date as year, month, day of week and hour", () => {
    const prep = fitPreprocessor(table, { target: "y" });
    const when = prep.features[0]!;

    const x = transformRecords(prep, [{ when: "2024/01/02 05:30", x: 1 }]);

    expect(when.kind === "datetime" && when.parts.map((p) => p.part)).toEqual([
      "year",
      "month",
      "dayOfWeek",
      "hour",
    ]);
    const parts = when.kind === "datetime" ? when.parts : [];
    // 2024-01-02 was a Tuesday (2); each part is standardised with the training mean and std.
    expect(Array.from(x.slice(0, 4))).toEqual(
      [2024, 1, 2, 5].map((v, i) => Math.fround((v - parts[i]!.mean) / parts[i]!.std)),
    );
  });

  it("leaves dates out when data.dates is exclude", () => {
    const prep = fitPreprocessor(table, { target: "y", dates: "exclude" });

    expect(prep.features.map((f) => f.name)).toEqual(["x"]);
  });
});

describe("a type change mid-file", () => {
  it("keeps a mostly numeric column numeric, reading its text as missing, and says where", () => {
    const x: Cell[] = Array.from({ length: 30 }, (_, i) => String(i % 7));
    x[25] = "unknown";
    const table: Table = {
      columns: ["x", "y"],
      data: [x, x.map((_, i) => (i % 2 ? "a" : "b"))],
      lines: Int32Array.from(x, (_, i) => i + 2),
    };
    const warnings: string[] = [];

    const prep = fitPreprocessor(table, { target: "y", warn: (m) => warnings.push(m) });

    expect(prep.features[0]).toMatchObject({ name: "x", kind: "numeric", missingIndicator: true });
    expect(warnings).toEqual([
      `feature 'x' holds numbers but 1 cell(s) of text such as "unknown"; they are read as missing (first on line 27)`,
    ]);
  });
});
