import { describe, expect, it } from "vitest";
import type { Cell } from "../../core/data/types.js";
import { transform } from "../../core/model/encode.js";
import { fitPreprocessor } from "../../core/model/preprocess.js";

// 60 rows: x numeric with a -999 sentinel now and then, c a category with "?" for unknown and a real "NA"
// category (sodium's symbol, a country code: data.missing lists what is missing, nothing else is).
function table(): { columns: string[]; data: Cell[][] } {
  const x: Cell[] = [];
  const c: Cell[] = [];
  const y: Cell[] = [];
  for (let i = 0; i < 60; i++) {
    x.push(i % 10 === 0 ? "-999" : String(i));
    c.push(["NA", "EU", "?"][i % 3]!);
    y.push(String(i % 2));
  }
  return { columns: ["x", "c", "y"], data: [x, c, y] };
}

describe("encoding reads data.missing as the preprocessor learnt it", () => {
  it("a numeric sentinel (text or number) is missing: the training median and the missing flag", () => {
    const prep = fitPreprocessor(table(), { target: "y", missing: ["-999", "?"] });
    const rows = {
      columns: ["x", "c", "y"],
      data: [
        ["-999", -999, "", "5"],
        ["EU", "EU", "EU", "EU"],
        ["0", "0", "0", "0"],
      ],
    };

    const { x } = transform(prep, rows);

    const width = x.length / 4;
    const row = (r: number) => Array.from(x.subarray(r * width, r * width + 2));
    expect(prep.features[0]).toMatchObject({ name: "x", kind: "numeric", missingIndicator: true });
    expect(row(0)).toEqual(row(2));
    expect(row(1)).toEqual(row(2));
    expect(row(0)[1]).toBe(1);
    expect(row(3)[1]).toBe(0);
  });

  it("a category is missing only when data.missing lists it: 'NA' keeps its slot, '?' is the training mix", () => {
    const prep = fitPreprocessor(table(), { target: "y", missing: ["-999", "?"] });
    const feature = prep.features.find((f) => f.name === "c");
    const rows = {
      columns: ["x", "c", "y"],
      data: [
        ["1", "1", "1"],
        ["NA", "?", "EU"],
        ["0", "0", "0"],
      ],
    };

    const { x } = transform(prep, rows);

    expect(feature).toMatchObject({ kind: "categorical" });
    const categories = feature?.kind === "categorical" ? feature.categories : [];
    expect(categories).toContain("NA");
    expect(categories).not.toContain("?");
    const width = x.length / 3;
    const at = 2; // x and its missing flag come first
    const slots = (r: number) =>
      Array.from(x.subarray(r * width + at, r * width + at + categories.length + 1));
    expect(slots(0)[categories.indexOf("NA")]).toBe(1);
    expect(slots(1).filter((v) => v === 1)).toEqual([]);
    expect(slots(2)[categories.indexOf("EU")]).toBe(1);
  });
});
