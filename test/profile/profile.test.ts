import { describe, expect, test } from "vitest";
import type { Cell } from "../../core/data/types.js";
import { UserError } from "../../core/errors.js";
import {
  type DatasetProfile,
  DISTINCT_CAP,
  HLL_RELATIVE_ERROR,
  ProfileBuilder,
  parseProfile,
  profileSources,
} from "../../core/profile/index.js";
import { batchOf, columnBatch, memorySource, mulberry32 } from "./helpers.js";

const COLUMNS = ["price", "age", "country", "active", "comment", "blank"];

function randomRows(n: number, seed: number): Cell[][] {
  const rand = mulberry32(seed);
  const countries = ["DE", "FR", "US", "GB"];
  return Array.from({ length: n }, (_, i) => [
    rand() < 0.05 ? "" : ((rand() - 0.3) * 1000).toFixed(3),
    Math.floor(rand() * 90),
    countries[Math.floor(rand() * 4)]!,
    rand() < 0.5 ? "true" : "False",
    rand() < 0.1 ? null : `note ${i}`,
    "",
  ]);
}

function profileOf(rows: Cell[][], batchSize = 64): ProfileBuilder {
  const builder = new ProfileBuilder(COLUMNS);
  for (let start = 0; start < rows.length; start += batchSize) {
    builder.add(batchOf(rows.slice(start, start + batchSize), COLUMNS.length));
  }
  return builder;
}

/** The profile with mean and std taken out, and those two on the side. */
function splitMoments(profile: DatasetProfile) {
  const moments: number[] = [];
  const rest = structuredClone(profile);
  for (const column of Object.values(rest.columns)) {
    if (column.numeric) {
      moments.push(column.numeric.mean, column.numeric.std);
      column.numeric.mean = 0;
      column.numeric.std = 0;
    }
  }
  return { rest, moments };
}

function expectSameProfile(actual: DatasetProfile, expected: DatasetProfile): void {
  const a = splitMoments(actual);
  const e = splitMoments(expected);
  expect(a.rest).toEqual(e.rest);
  expect(a.moments).toHaveLength(e.moments.length);
  a.moments.forEach((m, i) => {
    expect(Math.abs(m - e.moments[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e.moments[i]!)));
  });
}

describe("merging", () => {
  test("the merge of two parts' profiles equals the profile of the whole", () => {
    const rows = randomRows(3000, 1);
    const whole = profileOf(rows).finish();

    const merged = profileOf(rows.slice(0, 1234), 100);
    merged.merge(profileOf(rows.slice(1234), 77));

    expectSameProfile(merged.finish(), whole);
  });

  test("a state sent through structured clone (a worker thread) merges the same", () => {
    const rows = randomRows(1000, 2);
    const whole = profileOf(rows).finish();
    const first = profileOf(rows.slice(0, 400));
    const second = ProfileBuilder.fromState(structuredClone(profileOf(rows.slice(400)).toState()));

    first.merge(second);

    expectSameProfile(first.finish(), whole);
  });

  test("parts that only together pass the distinct cap merge into the truncated whole", () => {
    const ids = Array.from({ length: DISTINCT_CAP + 2000 }, (_, i) => [`id-${i}`] as Cell[]);
    const whole = new ProfileBuilder(["id"]);
    whole.add(batchOf(ids));
    const left = new ProfileBuilder(["id"]);
    left.add(batchOf(ids.slice(0, 7000)));
    const right = new ProfileBuilder(["id"]);
    right.add(batchOf(ids.slice(7000)));

    left.merge(right);
    const merged = left.finish().columns.id!;

    expect(merged).toEqual(whole.finish().columns.id);
    expect(merged.values.truncated).toBe(true);
    expect(merged.distinct.exact).toBe(false);
    expect(Math.abs(merged.distinct.value - ids.length) / ids.length).toBeLessThan(3 * HLL_RELATIVE_ERROR);
  });

  test("numbers past the distinct cap, split anyhow and cloned, merge into the truncated whole", () => {
    const xs = Array.from({ length: DISTINCT_CAP + 500 }, (_, i) => [(i * 0.37 - 900).toFixed(2)] as Cell[]);
    const whole = new ProfileBuilder(["x"]);
    whole.add(batchOf(xs));
    const left = new ProfileBuilder(["x"]);
    left.add(batchOf(xs.slice(0, 6000)));
    const right = new ProfileBuilder(["x"]);
    right.add(batchOf(xs.slice(6000)));

    left.merge(ProfileBuilder.fromState(structuredClone(right.toState())));
    const merged = left.finish();

    expectSameProfile(merged, whole.finish());
    expect(merged.columns.x!.values.truncated).toBe(true);
  });

  test("-0 counts as 0, NaN and infinities as one value each, beside text", () => {
    const cells: Cell[] = [
      "-0",
      "0",
      "0.0",
      "NaN",
      "nan",
      "inf",
      "-inf",
      "Infinity",
      "x",
      "x",
      "4096.5",
      "-1",
    ];
    // Only "" is missing here (data.missing: [""]), so "NaN" and "nan" are NaN values.
    const builder = new ProfileBuilder(["v"], [""]);

    builder.add(batchOf(cells.map((cell) => [cell])));
    const column = ProfileBuilder.fromState(structuredClone(builder.toState())).finish().columns.v!;

    expect({ distinct: column.distinct, values: column.values }).toEqual({
      distinct: { value: 7, exact: true, relativeError: 0 },
      values: {
        complete: true,
        truncated: false,
        top: [
          { value: "0", count: 3 },
          { value: "Infinity", count: 2 },
          { value: "NaN", count: 2 },
          { value: "x", count: 2 },
          { value: "-1", count: 1 },
          { value: "-Infinity", count: 1 },
          { value: "4096.5", count: 1 },
        ],
      },
    });
  });
});

describe("counting cells", () => {
  test("missing (the default tokens NaN and nan too), NaN, infinities, booleans and text are told apart", () => {
    const cells: Cell[] = [
      "1",
      "",
      null,
      "NaN",
      "nan",
      "Infinity",
      "-inf",
      "abc",
      " ",
      "0x1F",
      2,
      Number.NaN,
    ];
    cells.push(Number.POSITIVE_INFINITY, true, "TRUE");
    const builder = new ProfileBuilder(["x"]);

    builder.add(columnBatch(cells));
    const x = builder.finish().columns.x!;

    expect({ count: x.count, missing: x.missing, numbers: x.numbers, nan: x.nan, inf: x.inf }).toEqual({
      count: 15,
      missing: 4,
      numbers: 2,
      nan: 1,
      inf: 3,
    });
    expect({ booleans: x.booleans, strings: x.strings }).toEqual({ booleans: 2, strings: 3 });
    expect(x.numeric?.min).toBe(1);
    expect(x.numeric?.max).toBe(2);
  });

  test("numbers from text and typed numbers are the same values", () => {
    const builder = new ProfileBuilder(["x"]);

    builder.add(columnBatch(["1.50", 1.5, "2", 2, "-0", 0, "7e1"]));
    const x = builder.finish().columns.x!;

    expect(x.values.top).toEqual([
      { value: "0", count: 2 },
      { value: "1.5", count: 2 },
      { value: "2", count: 2 },
      { value: "70", count: 1 },
    ]);
    expect(x.distinct).toEqual({ value: 4, exact: true, relativeError: 0 });
    expect(x.numeric).toMatchObject({ min: 0, max: 70, integer: false });
    expect(x.numeric?.mean).toBeCloseTo(77 / 7, 12);
  });

  test("mean and sample standard deviation match the textbook formulas", () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const builder = new ProfileBuilder(["x"]);

    builder.add(columnBatch(values));
    const numeric = builder.finish().columns.x!.numeric!;

    expect(numeric.mean).toBe(5);
    expect(numeric.std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(numeric.integer).toBe(true);
  });
});

describe("kind inference", () => {
  const cases: [string, Cell[], string][] = [
    ["numeric text", ["1", "2.5", "-3", "", "4e2"], "numeric"],
    ["typed numbers", [1, 2, null, 3.5], "numeric"],
    ["booleans in any case", ["true", "FALSE", "True", ""], "boolean"],
    ["typed booleans", [true, false, null], "boolean"],
    ["few repeated labels", ["a", "b", "a", "c", "b", "a"], "categorical"],
    ["mostly unique strings", Array.from({ length: 100 }, (_, i) => `user-${i}`), "text"],
    ["long strings", ["x".repeat(300), "y".repeat(300)], "text"],
    ["only missing", [null, "", ""], "empty"],
    ["numbers with one typo in 200", [...Array.from({ length: 199 }, (_, i) => String(i)), "12a"], "numeric"],
    ["half numbers, half words", ["1", "2", "3", "x", "y", "x"], "categorical"],
  ];

  test.each(cases)("%s", (_name, cells, kind) => {
    const builder = new ProfileBuilder(["c"]);

    builder.add(columnBatch(cells));

    expect(builder.finish().columns.c!.kind).toBe(kind);
  });

  test("is decided over all batches, not by the first", () => {
    const builder = new ProfileBuilder(["c"]);

    builder.add(columnBatch(["1", "2", "3"]));
    builder.add(columnBatch(["a", "b", "a", "b"]));

    expect(builder.finish().columns.c!.kind).toBe("categorical");
  });
});

describe("sources", () => {
  test("sources with different columns are profiled on their union; absent cells are missing", async () => {
    const a = memorySource(
      "a.csv",
      ["x", "y"],
      [
        ["1", "a"],
        ["2", "b"],
      ],
    );
    const b = memorySource("b.csv", ["y", "z"], [["c", "true"]]);

    const profile = await profileSources([a, b]);

    expect(profile.rows).toBe(3);
    expect(Object.keys(profile.columns)).toEqual(["x", "y", "z"]);
    expect(profile.columns.x).toMatchObject({ count: 3, missing: 1, numbers: 2 });
    expect(profile.columns.z).toMatchObject({ count: 3, missing: 2, booleans: 1, kind: "boolean" });
  });

  test("a header that names a column twice is a user error", () => {
    expect(() => new ProfileBuilder(["a", "b", "a"])).toThrow(UserError);
  });
});

describe("saved profiles", () => {
  test("a profile survives JSON and the schema unchanged", async () => {
    const profile = await profileSources([memorySource("d.csv", COLUMNS, randomRows(500, 3), 50)]);

    const read = parseProfile(JSON.stringify(profile), "ref.json");

    expect(read).toEqual(profile);
  });

  test("a corrupted profile is rejected, naming the file and the field", async () => {
    const profile = await profileSources([memorySource("d.csv", COLUMNS, randomRows(50, 4))]);
    const json = JSON.parse(JSON.stringify(profile));
    json.columns.age.missing = -3;

    const read = () => parseProfile(JSON.stringify(json), "ref.json");

    expect(read).toThrow(UserError);
    expect(read).toThrow(/expected a modelgate profile/);
    try {
      read();
    } catch (error) {
      expect((error as UserError).location).toEqual({ file: "ref.json", field: "columns.age.missing" });
    }
  });

  test("text that is not JSON, and another version, are rejected", () => {
    expect(() => parseProfile("{ not json", "ref.json")).toThrow(/not valid JSON/);
    expect(() =>
      parseProfile(JSON.stringify({ version: 2, rows: 0, ragged: 0, columns: {} }), "ref.json"),
    ).toThrow(UserError);
  });
});
