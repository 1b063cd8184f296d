import { describe, expect, it } from "vitest";
import type { Network } from "../../core/model/network.js";
import { type NetworkPredictor, predict, predictRecords } from "../../core/model/predict.js";
import { transformRecords } from "../../core/model/records.js";
import type { Preprocessor } from "../../core/model/schema.js";

const prep = {
  features: [
    { name: "x", kind: "numeric", median: 1, mean: 0, std: 2, missingIndicator: true },
    { name: "c", kind: "categorical", categories: ["a", "b"] },
    { name: "f", kind: "boolean", fill: 0.25 },
  ],
  target: { task: "classification", name: "y", classes: ["0", "1"] },
  id: "key",
} as Preprocessor;

const refusal = (records: Record<string, unknown>[]) => {
  try {
    transformRecords(prep, records);
  } catch (error) {
    return `${(error as { location: { field: string } }).location.field}: ${(error as Error).message}`;
  }
  return "accepted";
};

describe("serving's records, checked field by field", () => {
  it("encodes values, nulls and the target and id keys as the table path does", () => {
    const x = transformRecords(prep, [
      { x: 4, c: "b", f: true },
      { x: null, c: null, f: null, y: "1", key: 9 },
    ]);
    expect(Array.from(x)).toEqual([2, 0, 0, 1, 0, 1, 0.5, 1, 0, 0, 1, 0.25]);
  });

  it("an unknown key is said before a missing column or a wrong value, as many keys as features or not", () => {
    expect(
      refusal([
        { x: 1, c: "a", f: true },
        { x: 1, c: "a", zip: 1 },
      ]),
    ).toBe("instances[1].zip: unknown column; the model expects: x, c, f");
    expect(refusal([{ x: "one", c: "a", zip: 1 }])).toMatch(/^instances\[0\]\.zip: unknown column/);
    expect(refusal([{ x: "one", c: "a", f: true, zip: 1 }])).toMatch(/^instances\[0\]\.zip: unknown column/);
  });

  it("then the first feature whose value is missing or wrong", () => {
    expect(refusal([{ x: 1, f: true }])).toBe("instances[0].c: missing column");
    expect(refusal([{ x: "one", c: {}, f: true }])).toBe(
      'instances[0].x: expected a number or null, found "one"',
    );
    expect(refusal([{ x: 1, c: ["a"], f: true }])).toBe(
      'instances[0].c: expected a string, number, boolean or null, found ["a"]',
    );
    expect(refusal([{ x: 1, c: "a", f: "maybe" }])).toBe(
      'instances[0].f: expected true, false or null, found "maybe"',
    );
    expect(refusal([{ x: 1, c: "a", f: true }, 3 as never])).toBe(
      "instances[1]: expected an object of feature values",
    );
  });

  it("a key inherited from Object.prototype is not a column the record has", () => {
    const named = { ...prep, features: [{ ...prep.features[0]!, name: "constructor" }] } as Preprocessor;
    expect(() => transformRecords(named, [{ x: 1 }])).toThrow(/unknown column/);
    expect(() => transformRecords(named, [{}])).toThrow(/missing column/);
  });
});

describe("predictRecords, a chunk of records at a time into the kernel", () => {
  const network: Network = {
    shapes: [[6, 2]],
    activation: "relu",
    output: "softmax",
    weights: Float32Array.from({ length: 14 }, (_, i) => ((i * 7) % 5) / 5 - 0.4),
  };
  const predictor = {
    model: undefined as never,
    network,
    preprocessor: prep,
    inputDim: 6,
  } as NetworkPredictor;
  const records = Array.from({ length: 3000 }, (_, r) => ({
    x: r % 7 === 0 ? null : r / 100,
    c: ["a", "b", "z"][r % 3]!,
    f: r % 2 === 0,
  }));

  it("predicts what the same rows as a table predict, past the first chunk", () => {
    const table = {
      columns: ["x", "c", "f"],
      data: [records.map((r) => r.x), records.map((r) => r.c), records.map((r) => r.f)],
    };
    const fromRecords = predictRecords(predictor, records);
    const fromTable = predict(predictor, table);
    expect(fromRecords.task).toBe("classification");
    if (fromRecords.task !== "classification" || fromTable.task !== "classification") return;
    expect(fromRecords.probabilities.length).toBe(6000);
    expect(fromRecords.probabilities).toEqual(fromTable.probabilities);
  });

  it("names a bad record by its index in the request, in a later chunk too", () => {
    const bad = records.map((r, i) => (i === 2500 ? { ...r, x: "lots" } : r));
    expect(() => predictRecords(predictor, bad)).toThrow(/expected a number or null, found "lots"/);
    try {
      predictRecords(predictor, bad);
    } catch (error) {
      expect((error as { location: { field: string } }).location.field).toBe("instances[2500].x");
    }
  });
});
