import { describe, expect, test } from "vitest";
import { GRID_BUCKETS, NumericGrid } from "../../core/profile/index.js";
import { mulberry32, normals } from "../drift/helpers.js";

function gridOf(values: number[], batch = 97): NumericGrid {
  const grid = new NumericGrid();
  for (let start = 0; start < values.length; start += batch) {
    const part = Float64Array.from(values.slice(start, start + batch));
    grid.addMany(part, part.length, Math.min(...part), Math.max(...part));
  }
  return grid;
}

const DATA: Record<string, number[]> = {
  "epoch seconds": normals(3000, 1).map((z) => Math.round(1.7e9 + z * 86_400)),
  "N(1000, 5)": normals(3000, 2).map((z) => 1000 + 5 * z),
  "around zero, widening": normals(3000, 3).map((z, i) => z * (1 + i / 10)),
  constant: Array.from({ length: 500 }, () => 42),
  "signs and tiny values": [-3e-12, 5e-13, 0, 2e-12, -1e-12],
};

describe("equal-width grid beside the sketch", () => {
  for (const [name, values] of Object.entries(DATA)) {
    test(`${name}: the merge of parts equals the grid of the whole, in at most ${GRID_BUCKETS} buckets`, () => {
      const random = mulberry32(values.length);
      const cut = 1 + Math.floor(random() * (values.length - 2));
      const whole = gridOf(values, 1000);
      const left = gridOf(values.slice(0, cut));
      const right = gridOf(values.slice(cut), 13);

      left.merge(right);

      expect(left.toData()).toEqual(whole.toData());
      const data = whole.toData()!;
      expect(data.counts.length).toBeLessThanOrEqual(GRID_BUCKETS);
      expect(data.counts.reduce((s, c) => s + c, 0)).toBe(values.length);
      const width = 2 ** data.exponent;
      const range = Math.max(...values) - Math.min(...values);
      // The finest power of two that fits: half as wide would need more than GRID_BUCKETS buckets.
      if (range > 0) expect(range / (width / 2)).toBeGreaterThan(GRID_BUCKETS - 2);
      // Every value lies in its bucket.
      for (const x of values) expect(data.counts[Math.floor(x / width) - data.offset]).toBeGreaterThan(0);
    });
  }
});
