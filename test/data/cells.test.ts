import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cellBoolean,
  cellKind,
  DEFAULT_MISSING,
  datetimeParts,
  exactDecimal,
  fastDecimal,
  isMissing,
  Kind,
  missingTokens,
  parseDatetime,
  parseDecimal,
  quickDecimal,
} from "../../core/data/cells.js";

/** Decimal-looking text: sign, digits, a point, digits, maybe an exponent; often plain. */
const decimalText = fc
  .tuple(
    fc.constantFrom("", "-", "+"),
    fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 20 }),
    fc.constantFrom("", "."),
    fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 24 }),
    fc.constantFrom("", "", "", "e5", "E-3", "e+"),
  )
  .map((parts) => parts.join(""));

describe("the decimal grammar", () => {
  it("fast path agrees with the exact grammar wherever it answers", () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const fast = fastDecimal(text);

        if (fast !== undefined) expect(Object.is(fast, exactDecimal(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("parseDecimal is the exact grammar, on any text", () => {
    fc.assert(
      fc.property(fc.oneof(decimalText, fc.string({ maxLength: 12 })), (text) => {
        expect(Object.is(parseDecimal(text), exactDecimal(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("the quick path is exact to 15 digits and within a few ulps beyond, flagging it", () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const exact = exactDecimal(text);
        const value = quickDecimal(text);

        if (Number.isNaN(exact)) expect(value).toBeNaN();
        else expect(Math.abs(value - exact)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(exact));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["12", 12],
    [" 12 ", 12],
    ["-0.5", -0.5],
    [".5", 0.5],
    ["1.", 1],
    ["1e3", 1000],
    ["-inf", Number.NEGATIVE_INFINITY],
    ["Infinity", Number.POSITIVE_INFINITY],
  ])("reads %j as %d", (text, value) => {
    expect(parseDecimal(text)).toBe(value);
  });

  it.each(["0x10", "0b1", "1_000", "", " ", "1.2.3", "NaN", "e5", "12abc", "1,5"])(
    "%j is no number",
    (text) => {
      expect(parseDecimal(text)).toBeNaN();
    },
  );
});

describe("missing values", () => {
  it("defaults to pandas' tokens, exactly as written", () => {
    const found = ["NA", "N/A", "null", "NULL", "None", "NaN", "nan", "", "#N/A", "<NA>"].map((t) =>
      isMissing(t),
    );
    const notFound = ["na ", "none", "Null", "0", "-", "missing"].map((t) => isMissing(t));

    expect({ found, notFound }).toEqual({
      found: found.map(() => true),
      notFound: notFound.map(() => false),
    });
  });

  it("takes a configured list instead (the empty cell always stays missing)", () => {
    const tokens = missingTokens(["?", "-999"]);

    expect(["?", "-999", "", null, "NA"].map((t) => isMissing(t, tokens))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it("holds the default list as configured in one place", () => {
    expect(missingTokens().list).toEqual(DEFAULT_MISSING);
  });
});

describe("booleans", () => {
  it("reads true/false and yes/no in any case; 1/0 only when declared", () => {
    const words = ["true", "FALSE", " Yes ", "no", "1", "0", 1, true, "t"].map((c) => cellBoolean(c));
    const declared = ["1", "0", 1, 0, 2].map((c) => cellBoolean(c, true));

    expect({ words, declared }).toEqual({
      words: [true, false, true, false, undefined, undefined, undefined, true, undefined],
      declared: [true, false, true, false, undefined],
    });
  });
});

describe("dates", () => {
  it.each([
    ["2024-03-05", Date.UTC(2024, 2, 5)],
    ["2024-03-05T10:20", Date.UTC(2024, 2, 5, 10, 20)],
    ["2024-03-05 10:20:30.5", Date.UTC(2024, 2, 5, 10, 20, 30, 500)],
    ["2024-03-05T10:20:30+02:00", Date.UTC(2024, 2, 5, 8, 20, 30)],
    ["2024-03-05T10:20:30Z", Date.UTC(2024, 2, 5, 10, 20, 30)],
    ["2001/01/14 21:55", Date.UTC(2001, 0, 14, 21, 55)],
    ["2001/1/4", Date.UTC(2001, 0, 4)],
    ["03/05/2024", Date.UTC(2024, 2, 5)],
    ["12/31/1999 23:59", Date.UTC(1999, 11, 31, 23, 59)],
  ])("reads %j (UTC)", (text, ms) => {
    expect(parseDatetime(text)).toBe(ms);
  });

  it.each([
    "2024-02-30",
    "13/01/2024",
    "2024-13-01",
    "20240305",
    "2024-03-05T25:00",
    "yesterday",
    "1700000000",
  ])("%j is no date", (text) => {
    expect(parseDatetime(text)).toBeNaN();
  });

  it("reads epoch numbers only with a declared unit", () => {
    expect([
      parseDatetime(1700000000, "s"),
      parseDatetime("1700000000000", "ms"),
      parseDatetime(1700000000),
    ]).toEqual([1700000000000, 1700000000000, Number.NaN]);
  });

  it("splits a date into the features training uses", () => {
    expect(datetimeParts(Date.UTC(2024, 2, 5, 10))).toEqual({ year: 2024, month: 3, dayOfWeek: 2, hour: 10 });
  });
});

describe("cell kinds", () => {
  it("tells missing, numbers, booleans, dates and text apart", () => {
    const kinds = [null, "NA", "3.5", 7, "yes", false, "2024-01-01", "abc"].map((c) => cellKind(c));

    expect(kinds).toEqual([
      Kind.missing,
      Kind.missing,
      Kind.number,
      Kind.number,
      Kind.boolean,
      Kind.boolean,
      Kind.datetime,
      Kind.text,
    ]);
  });

  it("keeps the empty cell missing under a configured list, as isMissing does", () => {
    const tokens = missingTokens(["?"]);

    expect([cellKind("", tokens), cellKind("?", tokens), cellKind("NA", tokens)]).toEqual([
      Kind.missing,
      Kind.missing,
      Kind.text,
    ]);
  });
});
