import { describe, expect, test } from "vitest";
import { getMetric } from "../../core/metrics/index.js";
import {
  binomial,
  boundsOf,
  mulberry32,
  multinomial,
  normalQuantile,
  pairedBootstrap,
  pairedBootstrapAll,
  QUANTILE_STEPS,
  quantile,
  studentTQuantile,
  tangoBound,
  widenedLevel,
} from "../../core/stats/index.js";
import { fromPredictions, regression } from "./fixtures.js";

const accuracy = getMetric("classification", "accuracy")!;
const f1 = getMetric("classification", "f1_macro")!;
const rmse = getMetric("regression", "rmse")!;

/** n rows over 2 classes; the model is right on the first `right` share of rows. */
function model(labels: number[], right: number) {
  const cut = Math.round(labels.length * right);
  return fromPredictions(
    labels,
    labels.map((label, i) => (i < cut ? label : 1 - label)),
    2,
  );
}

const random = mulberry32(1);
const labels = Array.from({ length: 400 }, () => (random() < 0.5 ? 0 : 1));

describe("pairedBootstrap evidence", () => {
  test("identical models: no discordant row, every quantile 0, bounds [0, 0]", () => {
    const evidence = pairedBootstrap(f1, model(labels, 0.9), model(labels, 0.9), { seed: 1 })!;

    expect(evidence).toMatchObject({ kind: "bootstrap", rows: 400, resamples: 1000, seed: 1, discordant: 0 });
    expect(evidence.quantiles).toHaveLength(QUANTILE_STEPS + 1);
    expect(new Set(evidence.quantiles)).toEqual(new Set([0]));
    expect(boundsOf(evidence, 0.05)).toEqual({ lower: 0, upper: 0 });
  });

  test("a much worse challenger: quantiles ascend around the observed drop, both bounds below 0", () => {
    const evidence = pairedBootstrap(f1, model(labels, 0.6), model(labels, 0.9), {
      seed: 1,
      resamples: 500,
    })!;
    const { lower, upper } = boundsOf(evidence, 0.05);

    expect(evidence.discordant).toBe(120);
    expect(evidence.quantiles.every((q, i) => i === 0 || q >= evidence.quantiles[i - 1]!)).toBe(true);
    expect(upper).toBeLessThan(0);
    expect(lower).toBeLessThan(upper);
  });

  test("for a lower-is-better metric a higher error shows as a positive difference", () => {
    const actual = Array.from({ length: 200 }, (_, i) => i % 17);
    const close = regression(
      actual,
      actual.map((a, i) => a + (i % 2 ? 0.1 : -0.1)),
    );
    const far = regression(
      actual,
      actual.map((a, i) => a + (i % 2 ? 2 : -2)),
    );

    const evidence = pairedBootstrap(rmse, far, close, { seed: 1 })!;

    expect(evidence.discordant).toBe(200);
    expect(boundsOf(evidence, 0.05).lower).toBeGreaterThan(1.5);
  });

  test("the same seed gives the same evidence; another seed other quantiles", () => {
    const [a, b] = [model(labels, 0.7), model(labels, 0.8)];

    const first = pairedBootstrap(f1, a, b, { seed: 5 });
    const again = pairedBootstrap(f1, a, b, { seed: 5 });
    const other = pairedBootstrap(f1, a, b, { seed: 6 });

    expect(again).toEqual(first);
    expect(other!.quantiles).not.toEqual(first!.quantiles);
  });

  test("confusion metrics scored together share the resamples and equal each alone", () => {
    const [a, b] = [model(labels, 0.7), model(labels, 0.75)];

    const together = pairedBootstrapAll([accuracy, f1], a, b, { seed: 9, resamples: 200 });

    expect(together).toEqual({
      accuracy: pairedBootstrap(accuracy, a, b, { seed: 9, resamples: 200 }),
      f1_macro: pairedBootstrap(f1, a, b, { seed: 9, resamples: 200 }),
    });
  });

  test("refuses models scored on different numbers of rows", () => {
    expect(() => pairedBootstrap(accuracy, model(labels, 0.9), model(labels.slice(1), 0.9))).toThrow(/rows/);
  });
});

describe("the multinomial resample", () => {
  test("binomial draws have the binomial's mean and variance", () => {
    const draw = mulberry32(3);
    const values = Array.from({ length: 20_000 }, () => binomial(draw, 1000, 0.3));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);

    expect(Math.abs(mean - 300)).toBeLessThan(0.5);
    expect(variance / 210).toBeGreaterThan(0.95);
    expect(variance / 210).toBeLessThan(1.05);
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v <= 1000)).toBe(true);
  });

  test("multinomial counts sum to n and follow the weights", () => {
    const draw = mulberry32(4);
    const counts = new Float64Array(4);
    const totals = new Float64Array(4);
    for (let r = 0; r < 2000; r++) {
      multinomial(draw, 150, Float64Array.from([90, 30, 0, 30]), counts);
      expect(counts.reduce((s, v) => s + v, 0)).toBe(150);
      counts.forEach((c, i) => {
        totals[i]! += c;
      });
    }

    expect(Array.from(totals, (t) => Math.round(t / 2000))).toEqual([90, 30, 0, 30]);
  });
});

describe("bounds", () => {
  test("normal and Student's t quantiles match the printed tables", () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959964, 6);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 6);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 6);
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812461, 5);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.570582, 5);
  });

  test("the bootstrap level is widened for few discordant rows and tends to alpha with many", () => {
    expect(widenedLevel(0.05, 11)).toBeCloseTo(0.03496, 4);
    expect(widenedLevel(0.05, 1)).toBe(0);
    expect(widenedLevel(0.05, 100_000)).toBeCloseTo(0.05, 4);
  });

  test("Tango's bound: the score statistic, worked out independently, equals z there", () => {
    const counts = { kind: "paired" as const, n: 143, challengerOnly: 3, championOnly: 11 };
    const z = normalQuantile(0.95);
    // The restricted MLE by golden-section search on the likelihood, not the closed form.
    const statistic = (d0: number) => {
      const { n, challengerOnly: b, championOnly: c } = counts;
      const logLik = (q: number) =>
        b * Math.log(q + d0) + c * Math.log(q) + (n - b - c) * Math.log(1 - 2 * q - d0);
      let [lo, hi] = [Math.max(0, -d0) + 1e-12, (1 - d0) / 2 - 1e-12];
      for (let i = 0; i < 200; i++) {
        const m1 = lo + (hi - lo) * 0.382;
        const m2 = lo + (hi - lo) * 0.618;
        if (logLik(m1) < logLik(m2)) lo = m1;
        else hi = m2;
      }
      const q = (lo + hi) / 2;
      return (b - c - n * d0) / Math.sqrt(n * (2 * q + d0 * (1 - d0)));
    };

    const lower = tangoBound(counts, z, "lower");
    const upper = tangoBound(counts, z, "upper");

    expect(statistic(lower)).toBeCloseTo(z, 5);
    expect(statistic(upper)).toBeCloseTo(-z, 5);
    expect(lower).toBeLessThan(-8 / 143);
    expect(upper).toBeGreaterThan(-8 / 143);
    expect(upper).toBeLessThan(0);
  });

  test("Tango's bound with no discordant row is z^2 / (n + z^2)", () => {
    const z = normalQuantile(0.95);

    const upper = tangoBound({ kind: "paired", n: 1000, challengerOnly: 0, championOnly: 0 }, z, "upper");

    expect(upper).toBeCloseTo((z * z) / (1000 + z * z), 9);
  });
});

describe("quantile", () => {
  test("interpolates linearly like numpy.quantile", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
  });
});
