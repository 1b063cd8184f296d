import { describe, expect, test } from "vitest";
import type { Gate } from "../../core/config/schema.js";
import { describeError, UserError } from "../../core/errors.js";
import { evaluateGates, type GateInputs, verdictOf } from "../../core/gate/index.js";
import { type Evidence, normalQuantile, QUANTILE_STEPS, widenedLevel } from "../../core/stats/index.js";

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
      outcome: "fail",
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

/** Bootstrap evidence of challenger - champion as if normal(mean, sd), from many discordant rows. */
function normalEvidence(mean: number, sd: number, rows = 1000): Evidence {
  const quantiles = Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) => {
    const p = Math.min(1 - 1e-5, Math.max(1e-5, i / QUANTILE_STEPS));
    return mean + sd * normalQuantile(p);
  });
  return { kind: "bootstrap", rows, resamples: 1000, seed: 1, discordant: rows, quantiles };
}

const z95 = normalQuantile(0.95);

describe("maxDrop: non-inferiority with three outcomes", () => {
  const gate: Gate[] = [{ metric: "f1_macro", maxDrop: 0.02 }];
  const inputs = (drop: number, sd: number): GateInputs => ({
    metrics: { f1_macro: 0.8 - drop },
    champion: { f1_macro: 0.8 },
    tests: { f1_macro: { evidence: normalEvidence(-drop, sd) } },
  });
  const t = widenedLevel(0.05, 1000);

  test("pass: the upper bound of the drop is within the margin; it says what the test set certifies", () => {
    const [result] = evaluateGates(gate, inputs(0.005, 0.004), classification);

    expect(result).toMatchObject({ rule: "maxDrop", threshold: 0.02, outcome: "pass", passed: true });
    expect(result!.ci![1]).toBeCloseTo(0.005 + 0.004 * -normalQuantile(t), 3);
    expect(result!.certified).toBe(result!.ci![1]);
    expect(result!.reason).toMatch(
      /f1_macro dropped by 0.005 .*at most 0.0116 \(95% bound\), within maxDrop 0.02/,
    );
  });

  test("fail: the drop is beyond the margin and surely above 0", () => {
    const [result] = evaluateGates(gate, inputs(0.05, 0.01), classification);

    expect(result).toMatchObject({ outcome: "fail", passed: false });
    expect(result!.value).toBeCloseTo(0.05, 12);
    expect(result!.ci![0]).toBeGreaterThan(0);
    expect(result!.reason).toMatch(/beyond maxDrop 0.02, and it is worse for sure/);
  });

  test("inconclusive within the margin: blocks by default and says about how many rows would tell", () => {
    const [result] = evaluateGates(gate, inputs(0.01, 0.01), classification);
    const variance = 1000 * 0.01 ** 2;
    const expected = Math.ceil(((z95 + normalQuantile(0.8)) ** 2 * variance) / 0.01 ** 2);

    expect(result).toMatchObject({ outcome: "inconclusive", passed: false });
    expect(result!.rowsNeeded).toBeGreaterThan(expected * 0.95);
    expect(result!.rowsNeeded).toBeLessThan(expected * 1.05);
    expect(result!.reason).toMatch(/this test set cannot tell; about 6,[0-9]{3} test rows would tell/);
  });

  test("inconclusive beyond the margin: more rows cannot make it pass", () => {
    const [result] = evaluateGates(gate, inputs(0.03, 0.02), classification);

    expect(result).toMatchObject({ outcome: "inconclusive", passed: false, rowsNeeded: null });
    expect(result!.reason).toMatch(/more rows cannot make it pass/);
  });

  test("onInconclusive: pass (top level) lets it through; a gate's own setting wins", () => {
    const perGate: Gate[] = [{ metric: "f1_macro", maxDrop: 0.02, onInconclusive: "fail" }];

    const [lenient] = evaluateGates(gate, inputs(0.01, 0.01), { ...classification, onInconclusive: "pass" });
    const [strict] = evaluateGates(perGate, inputs(0.01, 0.01), {
      ...classification,
      onInconclusive: "pass",
    });

    expect(lenient).toMatchObject({ outcome: "inconclusive", passed: true });
    expect(strict).toMatchObject({ outcome: "inconclusive", passed: false });
    expect(verdictOf([lenient!])).toBe("passed");
    expect(verdictOf([strict!])).toBe("inconclusive");
  });

  test("a drop of exactly the threshold with no uncertainty passes despite floating-point noise", () => {
    const inputs: GateInputs = {
      metrics: { accuracy: 0.89 },
      champion: { accuracy: 0.9 },
      tests: { accuracy: { evidence: normalEvidence(-0.01, 0) } },
    };

    const [result] = evaluateGates([{ metric: "accuracy", maxDrop: 0.01 }], inputs, classification);

    expect(result!.outcome).toBe("pass");
  });

  test("the 143-row case (11 rows only the champion got right, 3 only the challenger) fails", () => {
    const inputs: GateInputs = {
      metrics: { accuracy: 130 / 143 },
      champion: { accuracy: 138 / 143 },
      tests: { accuracy: { evidence: { kind: "paired", n: 143, challengerOnly: 3, championOnly: 11 } } },
    };

    const [result] = evaluateGates([{ metric: "accuracy", maxDrop: 0.02 }], inputs, classification);

    expect(result).toMatchObject({ outcome: "fail", passed: false });
    expect(result!.ci![0]).toBeGreaterThan(0.01);
  });

  test("without a champion it passes: nothing to compare", () => {
    const [result] = evaluateGates(gate, { metrics: { f1_macro: 0.2 }, tests: {} }, classification);

    expect(result).toEqual({
      metric: "f1_macro",
      rule: "maxDrop",
      value: 0,
      threshold: 0.02,
      outcome: "pass",
      passed: true,
      reason: "no champion to compare",
    });
  });

  test("without evidence: monitoring judges the observed change alone; a report judge refuses", () => {
    const noTest: GateInputs = { metrics: { f1_macro: 0.75 }, champion: { f1_macro: 0.8 }, tests: {} };

    const [result] = evaluateGates(gate, noTest, classification);
    const error = caught(() => evaluateGates(gate, noTest, { ...classification, requireEvidence: true }));

    expect(result).toMatchObject({ outcome: "fail", passed: false });
    expect(result!.reason).toMatch(/no paired test available/);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location).toEqual({ field: "gates[0].maxDrop" });
  });
});

describe("maxIncrease", () => {
  test("a surely larger rmse increase beyond the threshold fails; the bounds are of the increase", () => {
    const inputs: GateInputs = {
      metrics: { rmse: 3 },
      champion: { rmse: 2 },
      tests: { rmse: { evidence: normalEvidence(1, 0.15) } },
    };

    const [result] = evaluateGates([{ metric: "rmse", maxIncrease: 0.5 }], inputs, {
      significance: 0.05,
      task: "regression",
    });

    expect(result).toMatchObject({ rule: "maxIncrease", value: 1, outcome: "fail", passed: false });
    expect(result!.ci![0]).toBeCloseTo(1 - 0.15 * z95, 2);
    expect(result!.ci![1]).toBeCloseTo(1 + 0.15 * z95, 2);
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
