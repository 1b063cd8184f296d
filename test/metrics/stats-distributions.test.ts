import { describe, expect, test } from "vitest";
import {
  binomialCdf,
  chiSquaredCdf,
  chiSquaredSf,
  logGamma,
  mulberry32,
  normalCdf,
  resample,
} from "../../core/stats/index.js";

describe("distributions", () => {
  test.each([
    // standard normal table values
    [0, 0.5],
    [1.96, 0.9750021048517795],
    [-1.96, 0.024997895148220435],
    [1.6448536269514722, 0.95],
    [3, 0.9986501019683699],
  ])("normalCdf(%d) = %d", (z, expected) => {
    expect(normalCdf(z)).toBeCloseTo(expected, 12);
  });

  test("normalCdf keeps precision far in the lower tail (table: Phi(-5) = 2.8665e-7)", () => {
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 9);
  });

  test.each([
    // chi-squared critical values as printed in tables (3 decimals), so 4 decimals of agreement
    [3.841, 1, 0.95],
    [6.635, 1, 0.99],
    [5.991, 2, 0.95],
    [18.307, 10, 0.95],
    [0.455, 1, 0.5],
  ])("chiSquaredCdf(%d, df=%d) = %d", (x, df, expected) => {
    expect(chiSquaredCdf(x, df)).toBeCloseTo(expected, 3);
  });

  test("chi-squared with 2 degrees of freedom has the closed form 1 - exp(-x/2)", () => {
    for (const x of [0.1, 1, 4, 12]) expect(chiSquaredCdf(x, 2)).toBeCloseTo(1 - Math.exp(-x / 2), 12);
  });

  test("chiSquaredSf is exact in the tail (scipy.stats.chi2.sf(20.6722, 1) = 5.450094825427117e-6)", () => {
    expect(chiSquaredSf(20.67222222222222, 1) / 5.450094825427117e-6).toBeCloseTo(1, 8);
  });

  test("logGamma at known points: ln(sqrt(pi)) and ln(9!)", () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
  });

  test("binomialCdf(1, 6, 0.5) = (1 + 6) / 64", () => {
    expect(binomialCdf(1, 6, 0.5)).toBeCloseTo(7 / 64, 15);
  });
});

describe("mulberry32", () => {
  test("matches an independent implementation (Python, 32-bit arithmetic) for seeds 42 and 0", () => {
    const a = mulberry32(42);
    const b = mulberry32(0);

    expect([a(), a(), a()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect([b(), b(), b()]).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
  });

  test("resample draws indices in range, roughly uniformly", () => {
    const index = resample(mulberry32(7), 10, new Int32Array(20_000));
    const counts = new Array(10).fill(0);
    for (const i of index) counts[i] += 1;

    expect(Math.min(...index)).toBe(0);
    expect(Math.max(...index)).toBe(9);
    for (const count of counts) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });
});
