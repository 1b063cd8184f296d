import { describe, expect, test } from "vitest";
import { ModelConfig, TuneConfig } from "../../core/config/schema.js";
import { UserError } from "../../core/errors.js";
import { checkSpace, planTrials } from "../../core/tune/index.js";

const model = ModelConfig.parse({});
const tuneOf = (input: object) => TuneConfig.parse(input);

function errorOf(work: () => unknown): UserError | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  return undefined;
}

describe("checkSpace", () => {
  test.each([
    ["an empty list", { hidden: [] }, "tune.space.hidden", /empty/],
    ["min > max", { dropout: { min: 0.3, max: 0.1 } }, "tune.space.dropout", /greater than max/],
    [
      "log with min <= 0",
      { learningRate: { min: 0, max: 0.1, log: true } },
      "tune.space.learningRate",
      /min > 0/,
    ],
    ["an unknown key", { neurons: [1, 2] }, "tune.space.neurons", /not a tunable model: key/],
    ["the task", { task: ["regression"] }, "tune.space.task", /not a tunable/],
    ["a value the model refuses", { dropout: [0, 1.5] }, "tune.space.dropout[1]", /dropout/],
    ["a range past the model's bounds", { dropout: { min: 0, max: 2 } }, "tune.space.dropout", /dropout/],
    [
      "a fractional range for an integer key",
      { epochs: { min: 2, max: 9 } },
      "tune.space.epochs",
      /integer: true/,
    ],
    [
      "an integer range with no integer",
      { epochs: { min: 2.2, max: 2.8, integer: true } },
      "tune.space.epochs",
      /whole/,
    ],
  ])("%s is refused naming the key", (_name, space, field, message) => {
    const tune = { ...tuneOf({}), space: space as never };

    const error = errorOf(() => checkSpace(tune, model));

    expect(error?.location.field).toBe(field);
    expect(error?.message).toMatch(message);
    expect(error?.exitCode).toBe(2);
  });

  test("a valid space gives one dimension per key, in the config's order", () => {
    const tune = tuneOf({ space: { hidden: [[8], [16, 8]], l2: { min: 0, max: 0.01 } } });

    const dims = checkSpace(tune, model);

    expect(dims.map((d) => [d.key, d.kind])).toEqual([
      ["hidden", "list"],
      ["l2", "range"],
    ]);
  });
});

describe("planTrials", () => {
  const space = {
    hidden: [[4], [8], [16, 8]],
    learningRate: { min: 0.0001, max: 0.1, log: true },
    epochs: { min: 2, max: 20, integer: true },
    activation: ["relu", "tanh"],
  };

  test("random: the same seed gives the same plan, another seed another plan", () => {
    const tune = tuneOf({ trials: 8, seed: 7, space });
    const dims = checkSpace(tune, model);

    const [a, b, c] = [
      planTrials(tune, dims),
      planTrials(tune, dims),
      planTrials({ ...tune, seed: 8 }, dims),
    ];

    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(8);
  });

  test("random: draws stay inside the space and every draw is a valid model: block", () => {
    const tune = tuneOf({ trials: 200, space });

    const plan = planTrials(tune, checkSpace(tune, model));

    for (const params of plan) {
      expect(ModelConfig.safeParse({ ...model, ...params }).success).toBe(true);
      expect(params.learningRate).toBeGreaterThanOrEqual(0.0001);
      expect(params.learningRate).toBeLessThanOrEqual(0.1);
      expect(Number.isInteger(params.epochs)).toBe(true);
    }
    // Log-uniform: about a third of the draws below 0.001 (a uniform draw would put 1% there).
    const low = plan.filter((p) => (p.learningRate as number) < 0.001).length;
    expect(low).toBeGreaterThan(40);
    expect(new Set(plan.map((p) => p.activation))).toEqual(new Set(["relu", "tanh"]));
  });

  test("random: trial k is the same whatever the budget", () => {
    const small = tuneOf({ trials: 3, space });
    const large = tuneOf({ trials: 9, space });

    const [a, b] = [planTrials(small, checkSpace(small, model)), planTrials(large, checkSpace(large, model))];

    expect(b.slice(0, 3)).toEqual(a);
  });

  test("grid: the whole product when it fits the budget", () => {
    const tune = tuneOf({
      strategy: "grid",
      trials: 100,
      space: { activation: ["relu", "tanh"], learningRate: { min: 0.001, max: 0.1, log: true } },
    });

    const plan = planTrials(tune, checkSpace(tune, model));

    expect(plan).toEqual([
      { activation: "relu", learningRate: 0.001 },
      { activation: "relu", learningRate: 0.01 },
      { activation: "relu", learningRate: 0.1 },
      { activation: "tanh", learningRate: 0.001 },
      { activation: "tanh", learningRate: 0.01 },
      { activation: "tanh", learningRate: 0.1 },
    ]);
  });

  test("grid: small integer ranges list every value", () => {
    const tune = tuneOf({
      strategy: "grid",
      trials: 100,
      space: { epochs: { min: 1, max: 3, integer: true } },
    });

    const plan = planTrials(tune, checkSpace(tune, model));

    expect(plan).toEqual([{ epochs: 1 }, { epochs: 2 }, { epochs: 3 }]);
  });

  test("grid: over budget, a seeded sample of distinct cells of the product", () => {
    const tune = tuneOf({
      strategy: "grid",
      trials: 4,
      space: { epochs: { min: 1, max: 3, integer: true }, activation: ["relu", "tanh"], l2: [0, 0.01] },
    });
    const dims = checkSpace(tune, model);

    const [a, b] = [planTrials(tune, dims), planTrials(tune, dims)];

    expect(a).toEqual(b);
    expect(new Set(a.map((p) => JSON.stringify(p))).size).toBe(4);
    for (const params of a) {
      expect([1, 2, 3]).toContain(params.epochs);
      expect(["relu", "tanh"]).toContain(params.activation);
      expect([0, 0.01]).toContain(params.l2);
    }
  });
});
