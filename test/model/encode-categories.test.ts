import { describe, expect, it } from "vitest";
import type { Cell } from "../../core/data/types.js";
import { transform } from "../../core/model/encode.js";
import { categoryKey } from "../../core/model/preprocess.js";
import type { Preprocessor } from "../../core/model/schema.js";

const long = `${"x".repeat(250)}-a`;
// Stored as a manifest from elsewhere might hold them: "NA" (trained with data.missing: ["?"]), the key of a
// long value, and a label over 200 characters that modelgate itself never stores.
const categories = ["beta", "7", "NA", categoryKey(long), "y".repeat(201)];
const shares = [0.3, 0.2, 0.2, 0.1, 0.1, 0.1];

function encode(cells: Cell[]): number[][] {
  const prep = {
    features: [{ name: "c", kind: "categorical", categories, shares }],
    target: { task: "regression", name: "t", mean: 0, std: 1 },
  } as Preprocessor;
  const { x } = transform(prep, { columns: ["c"], data: [cells] });
  const width = categories.length + 1;
  return cells.map((_, r) => Array.from(x.subarray(r * width, (r + 1) * width)));
}

const hot = (slot: number) => Array.from({ length: categories.length + 1 }, (_, i) => (i === slot ? 1 : 0));
const mix = shares.map((share) => Math.fround(share));

describe("a categorical cell finds its one-hot slot", () => {
  it("as it is, trimmed, or as a number's text", () => {
    expect(encode(["beta", " beta ", 7, "7"])).toEqual([hot(0), hot(0), hot(1), hot(1)]);
  });

  it("a long value by its stored key (prefix and hash), however it is padded", () => {
    expect(encode([long, ` ${long}`])).toEqual([hot(3), hot(3)]);
  });

  it("a missing-value word or a blank is missing even when a category has its text: the training mix", () => {
    expect(encode(["NA", " NA", "", null])).toEqual([mix, mix, mix, mix]);
  });

  it("a stored label over 200 characters is never matched (a value that long is looked up by its key)", () => {
    expect(encode(["y".repeat(201), "gamma"])).toEqual([mix, mix]);
  });
});
