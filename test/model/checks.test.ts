import { describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { trainModel } from "../../core/model/index.js";
import { silentLogger } from "../../core/ports.js";
import { config } from "./data.js";

async function refusal(work: Promise<unknown>): Promise<UserError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof UserError) return error;
  throw new Error(`expected a UserError, got ${String(error)}`);
}

describe("checks before and during training", () => {
  it("refuses a near-unique target: more than 20 classes and under 2 rows per class", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => i);
    const table = { columns: ["x", "id"], data: [rows.map((i) => i / 10), rows.map((i) => `c${i % 30}`)] };

    const error = await refusal(trainModel(table, config(), { logger: silentLogger, target: "id" }));

    expect(error.exitCode).toBe(2);
    expect(error.location.field).toBe("data.target");
    expect(error.message).toBe(
      'target "id" has 30 distinct values over 40 rows (fewer than 2 rows per class); it looks like an ID or a continuous value: choose another data.target, or set model.task: regression when it is numeric',
    );
  });

  it("stops a diverging regression at the first non-finite loss, naming model.learningRate (exit 2)", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => i);
    const table = {
      columns: ["x", "y"],
      data: [rows.map((i) => i % 13), rows.map((i) => 3 * (i % 13) + (i % 5))],
    };
    const epochs: number[] = [];

    const error = await refusal(
      trainModel(table, config({ optimizer: "sgd", learningRate: 5, epochs: 50 }), {
        logger: silentLogger,
        target: "y",
        onEpoch: (log) => epochs.push(log.epoch),
      }),
    );

    expect(error.exitCode).toBe(2);
    expect(error.location.field).toBe("model.learningRate");
    expect(error.message).toMatch(/^training diverged: the training loss became non-finite at epoch \d+;/);
    expect(epochs.length).toBeLessThan(50);
  });

  it("refuses data with no rows (exit 1) and a column name past the manifest's bound", async () => {
    const empty = { columns: ["x", "y"], data: [[], []] };
    const longName = {
      columns: ["x".repeat(1001), "y"],
      data: [
        [1, 2, 3],
        ["a", "b", "a"],
      ],
    };

    const noRows = await refusal(trainModel(empty, config(), { logger: silentLogger, target: "y" }));
    const named = await refusal(
      trainModel(longName, config(), { logger: silentLogger, target: "y", source: { file: "t.csv" } }),
    );

    expect([noRows.exitCode, noRows.message]).toEqual([1, "the training data has no rows"]);
    expect(named.exitCode).toBe(1);
    expect(named.location).toEqual({ file: "t.csv", line: 1 });
    expect(named.message).toMatch(/^column 1's name is 1001 characters long \(the limit is 1000\)/);
  });

  it("blames the data (exit 1, target and line), not the learning rate, for an extreme regression target", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => i);
    const y: (number | string)[] = rows.map((i) => 2 * i);
    y[7] = "1e300";
    const table = { columns: ["x", "y"], data: [rows, y] };
    const lines = Int32Array.from(rows, (i) => i + 2);

    const error = await refusal(
      trainModel(table, config(), { logger: silentLogger, target: "y", source: { file: "t.csv", lines } }),
    );

    expect(error.exitCode).toBe(1);
    expect(error.location).toEqual({ file: "t.csv", line: 9, field: "y" });
    expect(error.message).toMatch(/^target "y" holds 1e300 at line 9, too large to train on/);
  });
});
