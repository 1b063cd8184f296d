import { describe, expect, test } from "vitest";
import type { Gate } from "../../core/config/schema.js";
import { describeError, UserError } from "../../core/errors.js";
import { evaluateGates, type GateInputs } from "../../core/gate/index.js";

const classification = { significance: 0.05, task: "classification" } as const;

function caught(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("absolute gates", () => {
  const inputs: GateInputs = { metrics: { accuracy: 0.85, log_loss: 0.4 }, tests: {} };

  test("min fails below the threshold and passes at or above it", () => {
    const gates: Gate[] = [
      { metric: "accuracy", min: 0.9 },
      { metric: "accuracy", min: 0.85 },
    ];

    const results = evaluateGates(gates, inputs, classification);

    expect(results.map((r) => r.passed)).toEqual([false, true]);
    expect(results[0]).toEqual({
      metric: "accuracy",
      rule: "min",
      value: 0.85,
      threshold: 0.9,
      passed: false,
      reason: "accuracy 0.85 is below min 0.9",
    });
  });

  test("max bounds a lower-is-better metric from above", () => {
    const results = evaluateGates(
      [
        { metric: "log_loss", max: 0.3 },
        { metric: "log_loss", max: 0.5 },
      ],
      inputs,
      classification,
    );

    expect(results.map((r) => [r.rule, r.passed])).toEqual([
      ["max", false],
      ["max", true],
    ]);
  });
});

describe("maxDrop", () => {
  const gate: Gate[] = [{ metric: "f1_macro", maxDrop: 0.01 }];
  const dropped = (pValue: number): GateInputs => ({
    metrics: { f1_macro: 0.8 },
    champion: { f1_macro: 0.85 },
    tests: { f1_macro: { delta: -0.05, ci: [-0.08, -0.02], pValue } },
  });

  test("a drop beyond the threshold that is significant fails, with the interval of the drop", () => {
    const [result] = evaluateGates(gate, dropped(0.01), classification);

    expect(result).toMatchObject({
      rule: "maxDrop",
      threshold: 0.01,
      passed: false,
      ci: [0.02, 0.08],
      pValue: 0.01,
    });
    expect(result!.value).toBeCloseTo(0.05, 12);
    expect(result!.reason).toMatch(/significant \(p = 0.01 < 0.05\)/);
  });

  test("the same drop, not significant, passes and says why", () => {
    const [result] = evaluateGates(gate, dropped(0.2), classification);

    expect(result!.passed).toBe(true);
    expect(result!.reason).toMatch(/beyond maxDrop 0.01, but not significant/);
  });

  test("a drop of exactly the threshold passes despite floating-point noise (0.9 - 0.89)", () => {
    const inputs: GateInputs = {
      metrics: { accuracy: 0.89 },
      champion: { accuracy: 0.9 },
      tests: { accuracy: { delta: -0.01, ci: [-0.02, 0], pValue: 0 } },
    };

    const [result] = evaluateGates([{ metric: "accuracy", maxDrop: 0.01 }], inputs, classification);

    expect(result!.passed).toBe(true);
  });

  test("without a champion it passes: nothing to compare", () => {
    const [result] = evaluateGates(gate, { metrics: { f1_macro: 0.2 }, tests: {} }, classification);

    expect(result).toEqual({
      metric: "f1_macro",
      rule: "maxDrop",
      value: 0,
      threshold: 0.01,
      passed: true,
      reason: "no champion to compare",
    });
  });

  test("without a significance test a drop beyond the threshold fails on the numbers alone", () => {
    const inputs: GateInputs = { metrics: { f1_macro: 0.8 }, champion: { f1_macro: 0.85 }, tests: {} };

    const [result] = evaluateGates(gate, inputs, classification);

    expect(result!.passed).toBe(false);
    expect(result!.reason).toMatch(/no significance test/);
  });
});

describe("maxIncrease", () => {
  test("a significant rmse increase beyond the threshold fails; the interval is of the increase", () => {
    const inputs: GateInputs = {
      metrics: { rmse: 3 },
      champion: { rmse: 2 },
      tests: { rmse: { delta: 1, ci: [0.7, 1.3], pValue: 0.001 } },
    };

    const [result] = evaluateGates([{ metric: "rmse", maxIncrease: 0.5 }], inputs, {
      significance: 0.05,
      task: "regression",
    });

    expect(result).toMatchObject({ rule: "maxIncrease", value: 1, ci: [0.7, 1.3], passed: false });
  });
});

describe("configuration mistakes", () => {
  test("an unknown metric is a UserError naming gates[i].metric, the value and the known names", () => {
    const error = caught(() =>
      evaluateGates([{ metric: "f2", min: 0.5 }], { metrics: {}, tests: {} }, classification),
    );

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location).toEqual({ field: "gates[0].metric" });
    expect(describeError(error).message).toBe(
      "gates[0].metric: unknown classification metric 'f2'; known: accuracy, balanced_accuracy, " +
        "precision_macro, recall_macro, f1_macro, precision_weighted, recall_weighted, f1_weighted, roc_auc, log_loss",
    );
  });

  test("a regression metric in a classification gate is unknown for the task", () => {
    const error = caught(() =>
      evaluateGates(
        [
          { metric: "accuracy", min: 0.5 },
          { metric: "rmse", max: 1 },
        ],
        { metrics: { accuracy: 1 }, tests: {} },
        classification,
      ),
    );

    expect((error as UserError).location.field).toBe("gates[1].metric");
  });

  test("maxDrop on a lower-is-better metric is refused, pointing at maxIncrease", () => {
    const error = caught(() =>
      evaluateGates(
        [{ metric: "rmse", maxDrop: 0.1 }],
        { metrics: { rmse: 1 }, tests: {} },
        {
          significance: 0.05,
          task: "regression",
        },
      ),
    );

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location.field).toBe("gates[0].maxDrop");
    expect((error as UserError).message).toMatch(/use maxIncrease/);
  });

  test("a gated metric that is undefined on the data is a UserError, not a NaN verdict", () => {
    const error = caught(() =>
      evaluateGates(
        [{ metric: "roc_auc", min: 0.5 }],
        { metrics: { accuracy: 1 }, tests: {} },
        classification,
      ),
    );

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(1);
  });
});
