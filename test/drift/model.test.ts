import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { detectModelDrift } from "../../core/drift/index.js";
import { memoryLogger, silentLogger } from "../../core/ports.js";
import { GATES, labelsCsv, modelFolder, predictionLog, TRAINING_METRICS } from "./model-fixture.js";

async function scenario(
  spec: Parameters<typeof predictionLog>[0],
  labelled?: { count: number; unknown: number },
) {
  const model = await modelFolder();
  const cwd = path.dirname(model);
  const log = predictionLog(spec);
  await writeFile(path.join(cwd, "predictions.jsonl"), log.jsonl);
  if (labelled)
    await writeFile(path.join(cwd, "labels.csv"), labelsCsv(log.truth, labelled.count, labelled.unknown));
  return { cwd, model, labels: labelled ? "labels.csv" : undefined };
}

describe("prediction logs", () => {
  test("inputs drift against the model's training profile; the target is never a feature", async () => {
    const { cwd } = await scenario({ rows: 3000, seed: 5, ageShift: 1 });

    const result = await detectModelDrift({
      cwd,
      logger: silentLogger,
      model: "model",
      log: "predictions.jsonl",
      gates: [],
      significance: 0.05,
    });

    expect(result.columns.map((c) => [c.column, c.drift])).toEqual([
      ["age", true],
      ["plan", false],
    ]);
    expect(result.rows.current).toBe(3000);
  });

  test("prediction drift: logged labels against the training class shares", async () => {
    const steady = await scenario({ rows: 3000, seed: 6, yesShare: 0.2, accuracy: 1 });
    const moved = await scenario({ rows: 3000, seed: 7, yesShare: 0.6, accuracy: 1 });
    const options = {
      logger: silentLogger,
      model: "model",
      log: "predictions.jsonl",
      gates: [],
      significance: 0.05,
    };

    const a = await detectModelDrift({ ...options, cwd: steady.cwd });
    const b = await detectModelDrift({ ...options, cwd: moved.cwd });

    expect([a.prediction?.drift, b.prediction?.drift]).toEqual([false, true]);
    expect(b.prediction).toMatchObject({
      column: "prediction",
      method: "jensenshannon",
      kind: "categorical",
    });
  });

  test("late labels: joined by request id, missing ids counted, gates decide degraded", async () => {
    const { cwd, labels } = await scenario(
      { rows: 400, seed: 8, accuracy: 0.55 },
      { count: 300, unknown: 12 },
    );

    const result = await detectModelDrift({
      cwd,
      logger: silentLogger,
      model: "model",
      log: "predictions.jsonl",
      labels,
      gates: GATES,
      significance: 0.05,
    });

    const performance = result.performance!;
    expect([performance.labelled, performance.unlabelled, performance.missingIds]).toEqual([300, 100, 12]);
    expect(performance.baseline).toEqual({ accuracy: 0.9, f1_macro: 0.88 });
    expect(performance.metrics.accuracy).toBeLessThan(0.7);
    expect(performance.gates.map((g) => [g.metric, g.passed])).toEqual([
      ["accuracy", false],
      ["f1_macro", false],
    ]);
    expect(performance.degraded).toBe(true);
  });

  test("late labels on a healthy model: not degraded", async () => {
    const { cwd, labels } = await scenario(
      { rows: 2000, seed: 9, accuracy: 0.95 },
      { count: 2000, unknown: 0 },
    );

    const result = await detectModelDrift({
      cwd,
      logger: silentLogger,
      model: "model",
      log: "predictions.jsonl",
      labels,
      gates: GATES,
      significance: 0.05,
      baseline: { ...TRAINING_METRICS, accuracy: 0.93 },
    });

    expect(result.performance).toMatchObject({
      labelled: 2000,
      missingIds: 0,
      unlabelled: 0,
      degraded: false,
    });
    expect(result.performance!.baseline.accuracy).toBe(0.93);
  });

  test("bad log lines are left out and reported, not fatal", async () => {
    const { cwd } = await scenario({ rows: 50, seed: 10 });
    const file = path.join(cwd, "predictions.jsonl");
    const { readFile } = await import("node:fs/promises");
    await writeFile(file, `${await readFile(file, "utf8")}{"requestId": 1}\nnot json\n`);
    const logger = memoryLogger();

    const result = await detectModelDrift({
      cwd,
      logger,
      model: "model",
      log: "predictions.jsonl",
      gates: [],
      significance: 0.05,
    });

    expect(result.rows.current).toBe(50);
    expect(logger.lines.filter((l) => l.startsWith("warning:"))).toEqual([
      "warning: predictions.jsonl: 2 bad lines left out (first: line 51: requestId: Invalid input: expected string, received number)",
    ]);
  });
});
