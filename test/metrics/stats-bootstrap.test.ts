import { describe, expect, test } from "vitest";
import { getMetric } from "../../core/metrics/index.js";
import { mulberry32, pairedBootstrap, pairedBootstrapAll, quantile } from "../../core/stats/index.js";
import { fromPredictions, regression } from "./fixtures.js";

const accuracy = getMetric("classification", "accuracy")!;
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

describe("pairedBootstrap", () => {
  test("identical models: delta 0, interval [0, 0], p = 1", () => {
    expect(pairedBootstrap(accuracy, model(labels, 0.9), model(labels, 0.9), { seed: 1 })).toEqual({
      delta: 0,
      ci: [0, 0],
      pValue: 1,
    });
  });

  test("a much worse challenger: interval below 0 and the smallest p the resamples allow", () => {
    const result = pairedBootstrap(accuracy, model(labels, 0.6), model(labels, 0.9), {
      seed: 1,
      resamples: 500,
    });

    expect(result.delta).toBeCloseTo(-0.3, 12);
    expect(result.ci[1]).toBeLessThan(0);
    expect(result.ci[0]).toBeLessThan(result.delta);
    expect(result.pValue).toBeCloseTo(1 / 501, 12);
  });

  test("a better challenger is not flagged: p near 1", () => {
    const result = pairedBootstrap(accuracy, model(labels, 0.95), model(labels, 0.8), { seed: 3 });

    expect(result.ci[0]).toBeGreaterThan(0);
    expect(result.pValue).toBe(1);
  });

  test("for a lower-is-better metric a higher error is what counts as worse", () => {
    const actual = Array.from({ length: 200 }, (_, i) => i % 17);
    const close = regression(
      actual,
      actual.map((a, i) => a + (i % 2 ? 0.1 : -0.1)),
    );
    const far = regression(
      actual,
      actual.map((a, i) => a + (i % 2 ? 2 : -2)),
    );

    expect(pairedBootstrap(rmse, far, close, { seed: 1 }).pValue).toBeLessThan(0.01);
    expect(pairedBootstrap(rmse, close, far, { seed: 1 }).pValue).toBeGreaterThan(0.99);
  });

  test("the same seed gives the same result; another seed another interval", () => {
    const [a, b] = [
      model(labels, 0.7),
      model(
        labels.map((l, i) => (i % 3 ? l : 1 - l)),
        0.8,
      ),
    ];

    const first = pairedBootstrap(accuracy, a, { ...b, labels: a.labels }, { seed: 5 });
    const again = pairedBootstrap(accuracy, a, { ...b, labels: a.labels }, { seed: 5 });
    const other = pairedBootstrap(accuracy, a, { ...b, labels: a.labels }, { seed: 6 });

    expect(again).toEqual(first);
    expect(other.ci).not.toEqual(first.ci);
  });

  test("scoring several metrics on shared resamples gives what each would get alone", () => {
    const f1 = getMetric("classification", "f1_macro")!;
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

describe("quantile", () => {
  test("interpolates linearly like numpy.quantile", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
  });
});
