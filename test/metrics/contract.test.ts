import { describe, expect, test } from "vitest";
import {
  type ClassificationData,
  computeAll,
  type Metric,
  metrics,
  metricsFor,
  type RegressionData,
} from "../../core/metrics/index.js";
import { classification, materialise, regression } from "./fixtures.js";

// Every plug-in must honour the same contract; a new metric file is covered as soon as it is registered.

const classes = classification(
  [0, 1, 2, 2, 1, 0, 1, 2],
  [
    [0.6, 0.3, 0.1],
    [0.2, 0.5, 0.3],
    [0.1, 0.2, 0.7],
    [0.5, 0.1, 0.4],
    [0.3, 0.3, 0.4],
    [0.4, 0.4, 0.2],
    [0.1, 0.8, 0.1],
    [0.2, 0.3, 0.5],
  ],
);
const perfectClasses = classification(
  Array.from(classes.labels),
  Array.from(classes.labels, (label) => [0, 1, 2].map((c) => (c === label ? 0.9 : 0.05))),
);
const numbers = regression([3, -0.5, 2, 7, 1.5, 4], [2.5, 0, 2, 8, 1, 5]);
const perfectNumbers = regression(Array.from(numbers.actual), Array.from(numbers.actual));

function sample(metric: Metric): {
  data: ClassificationData | RegressionData;
  perfect: typeof numbers | typeof classes;
} {
  return metric.task === "classification"
    ? { data: classes, perfect: perfectClasses }
    : { data: numbers, perfect: perfectNumbers };
}

// biome-ignore lint/suspicious/noExplicitAny: the contract drives every plug-in through one door
const compute = (metric: Metric, data: any, index?: Int32Array): number => metric.compute(data, index);

describe.each([...metrics.entries()])("metric %s", (name, metric) => {
  test("is registered under its own name, with a task, a direction and a paired test", () => {
    expect(metric.name).toBe(name);
    expect(["classification", "regression"]).toContain(metric.task);
    expect(["max", "min"]).toContain(metric.direction);
    expect(["score", "bootstrap"]).toContain(metric.pairedTest);
    // One metric, one test: only accuracy is bounded by the paired score interval.
    expect(metric.pairedTest === "score").toBe(name === "accuracy");
  });

  test("gives a finite number on ordinary data", () => {
    expect(Number.isFinite(compute(metric, sample(metric).data))).toBe(true);
  });

  test("the identity index gives the same value as no index", () => {
    const { data } = sample(metric);
    const rows = "labels" in data ? data.labels.length : data.actual.length;

    expect(
      compute(
        metric,
        data,
        Int32Array.from({ length: rows }, (_, i) => i),
      ),
    ).toBeCloseTo(compute(metric, data), 12);
  });

  test("a resample with repeats equals the metric on the copied rows", () => {
    const { data } = sample(metric);
    const index = Int32Array.from([0, 0, 1, 2, 2, 2, 5, 3, 1, 4]);

    // biome-ignore lint/suspicious/noExplicitAny: materialise is overloaded per task
    expect(compute(metric, data, index)).toBeCloseTo(compute(metric, materialise(data as any, index)), 6);
  });

  test("an empty resample is undefined (NaN)", () => {
    expect(compute(metric, sample(metric).data, new Int32Array(0))).toBeNaN();
  });

  test("a perfect model scores at least as well as an imperfect one, in the metric's direction", () => {
    const { data, perfect } = sample(metric);
    const better = compute(metric, perfect);
    const worse = compute(metric, data);

    expect(metric.direction === "max" ? better > worse : better < worse).toBe(true);
  });
});

describe("computeAll", () => {
  test("returns exactly the task's metrics", () => {
    expect(Object.keys(computeAll("classification", classes)).sort()).toEqual(
      metricsFor("classification")
        .map((m) => m.name)
        .sort(),
    );
    expect(Object.keys(computeAll("regression", numbers)).sort()).toEqual([
      "mae",
      "mape",
      "mse",
      "r2",
      "rmse",
    ]);
  });

  test("leaves out metrics undefined on the data", () => {
    const oneClass = classification(
      [1, 1],
      [
        [0.2, 0.8],
        [0.6, 0.4],
      ],
    );

    expect(computeAll("classification", oneClass)).not.toHaveProperty("roc_auc");
    expect(computeAll("classification", oneClass).accuracy).toBe(0.5);
  });

  test("rejects probabilities that do not match rows x classes", () => {
    const broken = { ...classes, probabilities: new Float32Array(5) };

    expect(() => computeAll("classification", broken)).toThrow(/5 probabilities for 8 rows x 3 classes/);
  });
});
