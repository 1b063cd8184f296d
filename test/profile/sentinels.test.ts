import { describe, expect, it } from "vitest";
import type { Batch } from "../../core/data/types.js";
import { ProfileBuilder } from "../../core/profile/builder.js";

const batch = (cells: (string | number)[], numbers?: Float64Array): Batch => ({
  columns: [cells],
  size: cells.length,
  lines: Int32Array.from(cells, (_, i) => i + 2),
  ragged: [],
  ...(numbers && { numbers: [numbers] }),
});

describe("a missing-value token that reads as a number (data.missing: ['-999'])", () => {
  it("is missing in a profile however the cell arrives: text, a JSON number, or a typed reader's number", () => {
    const text = ["1", "-999", "3", "-999.0"];
    const json = [1, -999, 3, -999];
    const typed = new Float64Array([1, -999, 3, -999]);
    const profiles = [batch(text), batch(json), batch(["", "", "", ""], typed)].map((b) => {
      const builder = new ProfileBuilder(["x"], ["-999"]);
      builder.add(b);
      return builder.finish().columns.x!;
    });

    // "-999.0" is not the token's text, but it is its number.
    expect(profiles.map((p) => p.missing)).toEqual([1, 2, 2]);
    expect(profiles.slice(1).map((p) => [p.numeric?.min, p.numeric?.max])).toEqual([
      [1, 3],
      [1, 3],
    ]);
  });

  it("with the default list, -999 stays a number", () => {
    const builder = new ProfileBuilder(["x"]);
    builder.add(batch(["", "", ""], new Float64Array([1, -999, 3])));
    expect(builder.finish().columns.x).toMatchObject({ missing: 0, numeric: { min: -999, max: 3 } });
  });
});
