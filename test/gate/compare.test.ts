import { describe, expect, test } from "vitest";
import type { Gate } from "../../core/config/schema.js";
import { UserError } from "../../core/errors.js";
import { Comparison, compareModels } from "../../core/gate/index.js";
import { mulberry32 } from "../../core/stats/index.js";
import { fromPredictions, regression } from "../metrics/fixtures.js";

const options = { significance: 0.05, seed: 42, resamples: 300 };

const random = mulberry32(11);
const labels = Array.from({ length: 300 }, () => Math.floor(random() * 3));

/** A 3-class model that is wrong on the rows where `wrong(i)` holds. */
function model(truth: number[], wrong: (i: number) => boolean) {
  return fromPredictions(
    truth,
    truth.map((label, i) => (wrong(i) ? (label + 1) % 3 : label)),
    3,
  );
}

const dropGates: Gate[] = [
  { metric: "accuracy", maxDrop: 0.01 },
  { metric: "f1_macro", maxDrop: 0.01 },
];

describe("compareModels, classification", () => {
  test("a much weaker challenger fails maxDrop gates", () => {
    const champion = model(labels, (i) => i % 10 === 0);
    const challenger = model(labels, (i) => i % 10 < 4);

    const result = compareModels("classification", challenger, champion, dropGates, options);

    expect(result.passed).toBe(false);
    expect(result.outcome).toBe("failed");
    expect(result.gates.map((g) => g.outcome)).toEqual(["fail", "fail"]);
    expect(result.deltas.accuracy).toMatchObject({ test: "score", evidence: { kind: "paired", n: 300 } });
    expect(result.deltas.f1_macro).toMatchObject({ test: "bootstrap", evidence: { kind: "bootstrap" } });
    expect(result.deltas.accuracy!.delta).toBeCloseTo(-0.3, 12);
  });

  test("a challenger equal to the champion passes, with zero deltas", () => {
    const champion = model(labels, (i) => i % 5 === 0);
    const challenger = model(labels, (i) => i % 5 === 0);

    const result = compareModels("classification", challenger, champion, dropGates, options);

    expect(result.passed).toBe(true);
    expect(result.deltas.accuracy).toEqual({
      delta: 0,
      evidence: { kind: "paired", n: 300, challengerOnly: 0, championOnly: 0 },
      test: "score",
    });
    expect(result.champion?.metrics).toEqual(result.metrics);
  });

  test("on a small sample, a drop beyond the threshold with one discordant row is inconclusive, not green", () => {
    // 20 rows: the challenger gets one more row wrong, accuracy 0.8 -> 0.75 (drop 0.05 > 0.01). One
    // discordant row cannot show it is worse, nor that it is within the margin. (Before the three
    // outcomes this passed as "not significant".)
    const truth = labels.slice(0, 20);
    const champion = model(truth, (i) => i < 4);
    const challenger = model(truth, (i) => i < 5);

    const result = compareModels("classification", challenger, champion, dropGates, options);

    expect(result.gates[0]).toMatchObject({ metric: "accuracy", outcome: "inconclusive", passed: false });
    expect(result.gates[0]!.value).toBeCloseTo(0.05, 12);
    expect(result.gates[0]!.rowsNeeded).toBeNull();
    expect(result.gates[0]!.reason).toMatch(/more rows cannot make it pass/);
    expect(result.outcome).toBe("inconclusive");
    expect(result.passed).toBe(false);
  });

  test("onInconclusive: pass lets the same inconclusive gate through, and says it stayed inconclusive", () => {
    const truth = labels.slice(0, 20);
    const champion = model(truth, (i) => i < 4);
    const challenger = model(truth, (i) => i < 5);

    const result = compareModels("classification", challenger, champion, dropGates.slice(0, 1), {
      ...options,
      onInconclusive: "pass",
    });

    expect(result.gates[0]).toMatchObject({ outcome: "inconclusive", passed: true });
    expect(result.outcome).toBe("passed");
  });

  test("balanced accuracy is judged on its own bootstrap: minority recall 0.8 -> 0.4 fails while accuracy rose", () => {
    // 900 majority rows (recall 0.85 -> 0.90) and 100 minority rows (recall 0.80 -> 0.40): accuracy
    // 0.845 -> 0.850, balanced accuracy 0.825 -> 0.65. McNemar on plain accuracy used to pass both.
    const truth = Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : 1));
    const champion = fromPredictions(
      truth,
      truth.map((_, i) => (i < 900 ? (i < 765 ? 0 : 1) : i < 980 ? 1 : 0)),
      2,
    );
    const challenger = fromPredictions(
      truth,
      truth.map((_, i) => (i < 900 ? (i < 810 ? 0 : 1) : i < 940 ? 1 : 0)),
      2,
    );
    const gates: Gate[] = [
      { metric: "accuracy", maxDrop: 0.02 },
      { metric: "balanced_accuracy", maxDrop: 0.02 },
    ];

    const result = compareModels("classification", challenger, champion, gates, options);

    expect(result.metrics.accuracy! - result.champion!.metrics.accuracy!).toBeCloseTo(0.005, 12);
    expect(result.gates.map((g) => [g.metric, g.outcome])).toEqual([
      ["accuracy", "pass"],
      ["balanced_accuracy", "fail"],
    ]);
    expect(result.gates[1]!.value).toBeCloseTo(0.175, 12);
    expect(result.gates[1]!.ci![0]).toBeGreaterThan(0.1);
    expect(result.deltas.balanced_accuracy).toMatchObject({ test: "bootstrap" });
  });

  test("min and max gates hold the challenger to absolute values, with or without a champion", () => {
    const challenger = model(labels, (i) => i % 10 === 0);
    const gates: Gate[] = [
      { metric: "accuracy", min: 0.95 },
      { metric: "accuracy", min: 0.85 },
      { metric: "log_loss", max: 0.1 },
    ];

    const result = compareModels("classification", challenger, undefined, gates, options);

    expect(result.gates.map((g) => [g.rule, g.passed])).toEqual([
      ["min", false],
      ["min", true],
      ["max", false],
    ]);
    expect(result.passed).toBe(false);
    expect(result.deltas).toEqual({});
    expect(result).not.toHaveProperty("champion");
  });

  test("the same seed gives the same comparison, and the result matches the Comparison schema", () => {
    const champion = model(labels, (i) => i % 7 === 0);
    const challenger = model(labels, (i) => i % 6 === 0);

    const first = compareModels("classification", challenger, champion, dropGates, options);
    const again = compareModels("classification", challenger, champion, dropGates, options);

    expect(again).toEqual(first);
    expect(Comparison.parse(first)).toEqual(first);
  });

  test("an unknown metric is refused before any work, naming gates[0].metric", () => {
    const data = model(labels, () => false);

    expect(() => compareModels("classification", data, data, [{ metric: "rmse", min: 0 }], options)).toThrow(
      expect.objectContaining({ name: "UserError", location: { field: "gates[0].metric" } }),
    );
  });

  test("models over different classes cannot be compared: a UserError naming both class lists", () => {
    const challenger = model(labels, () => false);
    const champion = { ...challenger, classes: ["a", "b", "c"] };

    expect(() => compareModels("classification", challenger, champion, [], options)).toThrow(UserError);
    expect(() => compareModels("classification", challenger, champion, [], options)).toThrow(/\[a, b, c\]/);
  });
});

describe("compareModels, regression", () => {
  const actual = Array.from({ length: 200 }, (_, i) => (i * 7) % 23);
  const noisy = (size: number) => actual.map((a, i) => a + (i % 2 ? size : -size));

  test("a clearly worse rmse fails maxIncrease; a small change within it passes", () => {
    const gates: Gate[] = [{ metric: "rmse", maxIncrease: 0.5 }];
    const champion = regression(actual, noisy(1));

    const worse = compareModels("regression", regression(actual, noisy(3)), champion, gates, options);
    const similar = compareModels("regression", regression(actual, noisy(1.2)), champion, gates, options);

    expect(worse.gates[0]).toMatchObject({ rule: "maxIncrease", outcome: "fail", passed: false });
    expect(worse.gates[0]!.value).toBeCloseTo(2, 12);
    expect(worse.deltas.rmse).toMatchObject({ test: "bootstrap" });
    expect(similar.gates[0]).toMatchObject({ outcome: "pass", passed: true });
    expect(similar.passed).toBe(true);
  });

  test("without a champion maxIncrease passes: no champion to compare", () => {
    const result = compareModels(
      "regression",
      regression(actual, noisy(5)),
      undefined,
      [{ metric: "rmse", maxIncrease: 0.1 }],
      options,
    );

    expect(result.gates[0]).toMatchObject({ passed: true, reason: "no champion to compare" });
  });
});
