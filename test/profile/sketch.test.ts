import { describe, expect, test } from "vitest";
import {
  alignedHistogram,
  QuantileSketch,
  RELATIVE_ACCURACY,
  wasserstein,
} from "../../core/profile/index.js";
import { mulberry32 } from "./helpers.js";

function sketchOf(values: number[]): QuantileSketch {
  const sketch = new QuantileSketch();
  sketch.addMany(Float64Array.from(values), values.length);
  return sketch;
}

/** Log-normal values with both signs and some zeros: magnitudes over several orders. */
function randomValues(n: number, seed: number, shift = 0): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const u = rand();
    if (u < 0.02) return 0;
    const magnitude = Math.exp((rand() + rand() + rand() - 1.5) * 6);
    return (u < 0.3 ? -magnitude : magnitude) + shift;
  });
}

describe("quantiles", () => {
  test("every quantile is within the stated relative accuracy of the exact one", () => {
    const values = randomValues(20_000, 11);
    const sorted = [...values].sort((a, b) => a - b);
    const sketch = sketchOf(values);

    const qs = [0.001, 0.01, 0.05, 0.1, 0.25, 0.29, 0.31, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];
    const errors = qs.map((q) => {
      const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
      return Math.abs(sketch.quantile(q) - exact) / Math.max(Math.abs(exact), Number.MIN_VALUE);
    });

    for (const error of errors) expect(error).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-12);
    expect(sketch.quantile(0)).toBe(sorted[0]);
    expect(sketch.quantile(1)).toBe(sorted.at(-1));
  });

  test("the cdf is monotone and agrees with the quantiles", () => {
    const sketch = sketchOf(randomValues(5000, 12));
    const xs = [-100, -10, -1, -0.1, 0, 0.1, 1, 10, 100];

    const cdf = xs.map((x) => sketch.cdf(x));

    expect([...cdf].sort((a, b) => a - b)).toEqual(cdf);
    expect(sketch.cdf(sketch.quantile(0.5))).toBeGreaterThanOrEqual(0.5);
    expect(sketch.cdf(sketch.quantile(0.5))).toBeLessThan(0.51);
    expect(sketch.cdf(-1e9)).toBe(0);
    expect(sketch.cdf(1e9)).toBe(1);
  });

  test("an empty sketch answers NaN", () => {
    const sketch = new QuantileSketch();

    expect([sketch.quantile(0.5), sketch.cdf(0)]).toEqual([Number.NaN, Number.NaN]);
  });
});

describe("buckets", () => {
  test("every value lies in its bucket and buckets ascend", () => {
    const values = randomValues(2000, 13);
    const buckets = sketchOf(values).buckets();

    const total = buckets.reduce((sum, b) => sum + b.count, 0);

    expect(total).toBe(values.length);
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]!.lower).toBeGreaterThanOrEqual(buckets[i - 1]!.upper);
    for (const b of buckets) expect(b.value).toBeGreaterThanOrEqual(b.lower);
  });

  test("merging adds bucket counts, and survives the JSON form", () => {
    const values = randomValues(3000, 14);
    const left = sketchOf(values.slice(0, 1000));

    left.merge(QuantileSketch.fromData(JSON.parse(JSON.stringify(sketchOf(values.slice(1000)).toData()))));

    expect(left.toData()).toEqual(sketchOf(values).toData());
  });

  test("two sketches share bucket boundaries", () => {
    const a = sketchOf([1, 2, 3]);
    const b = sketchOf([2, 3, 4, 4]);

    const h = alignedHistogram(a, b);

    expect(h.a).toEqual([1, 1, 1, 0]);
    expect(h.b).toEqual([0, 1, 1, 2]);
    expect(h.value.map((v) => Math.round(v))).toEqual([1, 2, 3, 4]);
  });
});

function normals(n: number, seed: number, mean: number, std: number): number[] {
  const rand = mulberry32(seed);
  return Array.from(
    { length: n },
    () => mean + std * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()),
  );
}

describe("wasserstein", () => {
  test("is near zero for the same distribution and near the shift for a shifted one", () => {
    const base = sketchOf(normals(5000, 15, 100, 10));
    const same = sketchOf(normals(5000, 16, 100, 10));
    const shifted = sketchOf(normals(5000, 15, 130, 10));

    expect(wasserstein(base, base)).toBe(0);
    expect(wasserstein(base, same)).toBeLessThan(1);
    expect(wasserstein(base, shifted)).toBeGreaterThan(29);
    expect(wasserstein(base, shifted)).toBeLessThan(31);
  });
});
