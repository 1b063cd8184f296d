import { expect, test } from "vitest";
import { aligned, distributionOf, pointsWasserstein, sketchPoints } from "../../core/drift/buckets.js";
import { alignedHistogram, QuantileSketch, wasserstein } from "../../core/profile/index.js";
import { normals } from "./helpers.js";

const sketchOf = (values: number[]) => {
  const sketch = new QuantileSketch();
  sketch.addMany(Float64Array.from(values), values.length);
  return sketch;
};

test("sketch points answer exactly as the sketch's own cdf, quantile, alignment and Wasserstein", () => {
  const a = sketchOf(normals(5000, 1).map((x) => x * 3 - 1));
  const b = sketchOf([...normals(4000, 2, 0.5), 0, 0, -7]);
  const points = [-20, -3, -1, -0.001, 0, 0.37, 1, 2.5, 40];
  const quantiles = [0, 0.01, 0.1, 0.5, 0.77, 0.99, 1];

  const dist = distributionOf(sketchPoints(a));

  expect(points.map((x) => dist.cdf(x))).toEqual(points.map((x) => a.cdf(x)));
  expect(quantiles.map((q) => dist.quantile(q))).toEqual(quantiles.map((q) => a.quantile(q)));
  const reference = alignedHistogram(a, b);
  expect(aligned(sketchPoints(a), sketchPoints(b))).toEqual({
    value: reference.value,
    a: reference.a,
    b: reference.b,
  });
  expect(pointsWasserstein(sketchPoints(a), sketchPoints(b))).toBe(wasserstein(a, b));
});
