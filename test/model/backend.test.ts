import { describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { initBackend, predict, trainModel } from "../../core/model/index.js";
import { silentLogger } from "../../core/ports.js";
import { accuracy, classificationTable, config } from "./data.js";

describe("initBackend", () => {
  it.each(["cpu", "wasm"] as const)("trains and predicts on %s", async (backend) => {
    const table = classificationTable(200, ["no", "yes"]);

    const trained = await trainModel(table, config({ backend, epochs: 8 }), {
      target: "label",
      logger: silentLogger,
    });
    const prediction = predict(trained, table);

    expect(trained.backend).toBe(backend);
    if (prediction.task !== "classification") throw new Error("expected classification");
    expect(accuracy(prediction.probabilities, prediction.classes, table.data[4]!)).toBeGreaterThan(0.9);
  });

  it("auto falls back to wasm when tfjs-node is not installed, and is idempotent", async () => {
    const first = await initBackend("auto", silentLogger);
    const second = await initBackend("auto", silentLogger);

    expect(first).toBe("wasm");
    expect(second).toBe("wasm");
  });

  it("refuses 'node' without tfjs-node, saying how to install it", async () => {
    const choosing = initBackend("node", silentLogger);

    await expect(choosing).rejects.toThrow(UserError);
    await expect(choosing).rejects.toThrow(/npm install @tensorflow\/tfjs-node/);
  });
});
