import { describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { predict, trainModel } from "../../core/model/index.js";
import { memoryLogger, silentLogger } from "../../core/ports.js";
import { accuracy, classificationTable, config, regressionTable, rSquared } from "./data.js";

const logger = silentLogger;

describe("trainModel", () => {
  it("learns a binary classification well above chance", async () => {
    const table = classificationTable(400, ["no", "yes"]);

    const trained = await trainModel(table, config(), { target: "label", logger });
    const prediction = predict(trained, table);

    expect(prediction.task).toBe("classification");
    if (prediction.task !== "classification") return;
    expect(prediction.classes).toEqual(["no", "yes"]);
    expect(accuracy(prediction.probabilities, prediction.classes, table.data[4]!)).toBeGreaterThan(0.9);
  });

  it("learns a multiclass classification well above chance", async () => {
    const table = classificationTable(600, ["c", "a", "b", "d"]);

    const trained = await trainModel(table, config({ epochs: 20 }), { target: "label", logger });
    const prediction = predict(trained, table);

    if (prediction.task !== "classification") throw new Error("expected classification");
    expect(prediction.classes).toEqual(["a", "b", "c", "d"]);
    expect(accuracy(prediction.probabilities, prediction.classes, table.data[4]!)).toBeGreaterThan(0.85);
  });

  it("learns a regression and de-standardises its predictions", async () => {
    const table = regressionTable(500);

    const trained = await trainModel(table, config({ epochs: 30 }), { target: "y", logger });
    const prediction = predict(trained, table);

    if (prediction.task !== "regression") throw new Error("expected regression");
    expect(rSquared(prediction.values, table.data[2]!)).toBeGreaterThan(0.9);
  });

  it.each(["relu", "tanh", "sigmoid", "elu", "selu", "gelu", "swish", "linear"] as const)(
    "trains with activation %s (training forward pass agrees with model.predict)",
    async (activation) => {
      const table = classificationTable(300, ["no", "yes"], 5);

      const trained = await trainModel(table, config({ activation, epochs: 10 }), {
        target: "label",
        logger,
      });
      const prediction = predict(trained, table);

      if (prediction.task !== "classification") throw new Error("expected classification");
      expect(accuracy(prediction.probabilities, prediction.classes, table.data[4]!)).toBeGreaterThan(0.85);
    },
  );

  it("is reproducible: same seed, data and config give identical predictions, dropout and l2 included", async () => {
    const table = classificationTable(300, ["no", "yes", "maybe"], 3);
    const settings = config({ dropout: 0.3, l2: 0.001, epochs: 5, earlyStopping: { patience: 3 } });

    const first = await trainModel(table, settings, { target: "label", logger });
    const second = await trainModel(table, settings, { target: "label", logger });
    const other = await trainModel(table, { ...settings, seed: 7 }, { target: "label", logger });

    expect(second.history).toEqual(first.history);
    expect(predict(second, table)).toEqual(predict(first, table));
    expect(predict(other, table)).not.toEqual(predict(first, table));
  });

  it.each(["sgd", "rmsprop", "adagrad"] as const)("trains with optimizer %s", async (optimizer) => {
    const table = classificationTable(300, ["no", "yes"], 9);

    const trained = await trainModel(table, config({ optimizer, learningRate: 0.05 }), {
      target: "label",
      logger,
    });
    const prediction = predict(trained, table);

    if (prediction.task !== "classification") throw new Error("expected classification");
    expect(accuracy(prediction.probabilities, prediction.classes, table.data[4]!)).toBeGreaterThan(0.85);
  });

  it("stops early on a plateau and keeps the best epoch's weights", async () => {
    // Labels independent of the features: validation loss soon stops improving.
    const table = classificationTable(300, ["no", "yes"], 11);
    table.data[4] = table.data[4]!.map((_, r) => ((r * 7919) % 13 < 6 ? "no" : "yes"));
    const settings = config({ epochs: 60, learningRate: 0.05, earlyStopping: { patience: 3 } });

    const stopped = await trainModel(table, settings, { target: "label", logger });
    const replay = await trainModel(
      table,
      { ...settings, epochs: stopped.bestEpoch, earlyStopping: { patience: 1000 } },
      { target: "label", logger },
    );

    expect(stopped.stoppedEarly).toBe(true);
    expect(stopped.epochs).toBe(stopped.bestEpoch + 3);
    expect(stopped.epochs).toBeLessThan(60);
    const valLosses = stopped.history.map((h) => h.valLoss!);
    expect(Math.min(...valLosses)).toBe(valLosses[stopped.bestEpoch - 1]);
    // The replay runs exactly to the best epoch; the stopped model must hold those weights, not its last.
    expect(predict(stopped, table)).toEqual(predict(replay, table));
  });

  it("reports progress per epoch and calls onEpoch", async () => {
    const table = classificationTable(100, ["no", "yes"]);
    const log = memoryLogger();
    const epochs: number[] = [];

    await trainModel(table, config({ epochs: 3 }), {
      target: "label",
      logger: log,
      onEpoch: (e) => epochs.push(e.epoch),
    });

    expect(epochs).toEqual([1, 2, 3]);
    // Each epoch line carries its loss (and val_loss when early stopping holds a split out).
    expect(log.lines.filter((l) => l.startsWith("progress: epoch"))).toEqual([
      expect.stringMatching(/^progress: epoch 1\/3 loss [\d.e+-]+$/),
      expect.stringMatching(/^progress: epoch 2\/3 loss [\d.e+-]+$/),
      expect.stringMatching(/^progress: epoch 3\/3 loss [\d.e+-]+$/),
    ]);
  });

  it("refuses a target column that is not there, naming the columns", async () => {
    const table = classificationTable(50, ["no", "yes"]);

    const training = trainModel(table, config(), { target: "churned", logger });

    await expect(training).rejects.toThrow(UserError);
    await expect(training).rejects.toThrow(
      /"churned" not found; the data has columns: a, b, color, flag, label/,
    );
  });
});
