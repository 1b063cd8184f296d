import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { onnxFeeds } from "../../core/export/onnx/feeds.js";
import { loadModel, predict } from "../../core/model/index.js";
import { labelOf } from "../../core/model/preprocess.js";
import { loadTable } from "../../core/pipeline/dataset.js";
import { silentLogger } from "../../core/ports.js";
import { repoRoot } from "../helpers/action.js";
import { cliProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";
import { runOnnx } from "./ort.js";

/** A copy of an example trained by the CLI: its project folder and the model folder. */
async function trainedExample(name: string): Promise<{ dir: string; model: string }> {
  const dir = await tempDir(`mg-export-${name}-`);
  for (const part of ["modelgate.yml", "schemas", "data"]) {
    await cp(path.join(repoRoot, "examples", name, part), path.join(dir, part), { recursive: true });
  }
  const trained = await cliProcess(["train", "--out", "model"], dir);
  expect(trained.stderr).toContain("model saved");
  expect(trained.code).toBe(0);
  return { dir, model: path.join(dir, "model") };
}

// Trained once for the tests that need the churn model (training is the slow part).
let churnOnce: ReturnType<typeof trainedExample> | undefined;
const trainedChurn = () => {
  churnOnce ??= trainedExample("churn");
  return churnOnce;
};

/** What the exported graph says about the example's test rows, beside what modelgate says. */
async function bothPredictions(dir: string, model: string, file: string) {
  const loaded = await loadModel(model, { logger: silentLogger });
  const { table } = await loadTable(path.join(dir, "data/test.csv"), { cwd: dir });
  const onnx = await runOnnx(await readFile(file), onnxFeeds(loaded.preprocessor, table));
  const truth = table.data[table.columns.indexOf(loaded.preprocessor.target.name)]!;
  return { onnx, modelgate: predict(loaded, table), truth };
}

async function evaluate(dir: string): Promise<Record<string, number>> {
  const run = await cliProcess(["evaluate", "--model", "model", "--json"], dir);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { metrics: Record<string, number> }).metrics;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe("modelgate export on the examples, run by ONNX Runtime (web build)", () => {
  it("churn: the same probabilities within 1e-5, the same labels, the accuracy evaluate reports", async () => {
    const { dir, model } = await trainedChurn();

    const exported = await cliProcess(["export", "--model", "model", "--format", "onnx"], dir);
    const both = await bothPredictions(dir, model, path.join(dir, "model.onnx"));
    const metrics = await evaluate(dir);

    expect(exported).toMatchObject({ code: 0, stdout: "model.onnx\n" });
    if (both.modelgate.task !== "classification") throw new Error("churn is a classification example");
    const probabilities = both.onnx.probabilities!.data as Float32Array;
    expect(maxDifference(probabilities, both.modelgate.probabilities)).toBeLessThan(1e-5);
    const labels = both.onnx.label!.data as string[];
    const classes = both.modelgate.classes;
    const expected = Array.from({ length: labels.length }, (_, r) =>
      probabilities[2 * r + 1]! > probabilities[2 * r]! ? classes[1] : classes[0],
    );
    expect(Array.from(labels)).toEqual(expected);
    const correct = labels.filter((label, r) => label === labelOf(both.truth[r]!)).length;
    expect(correct / labels.length).toBe(metrics.accuracy);
  });

  it("housing: the same prices within 1e-5 of each, the rmse evaluate reports", async () => {
    const { dir, model } = await trainedExample("housing");

    const exported = await cliProcess(
      ["export", "--model", "model", "--format", "onnx", "--out", "out/housing.onnx", "--json"],
      dir,
    );
    const both = await bothPredictions(dir, model, path.join(dir, "out/housing.onnx"));
    const metrics = await evaluate(dir);

    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      file: path.join(dir, "out/housing.onnx"),
      format: "onnx",
      outputs: [{ name: "value", type: "float64[N, 1]" }],
    });
    const predicted = both.modelgate;
    if (predicted.task !== "regression") throw new Error("housing is a regression example");
    const values = both.onnx.value!.data as Float64Array;
    const relative = Array.from(values, (v, r) => Math.abs(v - predicted.values[r]!) / Math.abs(v));
    expect(Math.max(...relative)).toBeLessThan(1e-5);
    const rmse = Math.sqrt(
      values.reduce((sum, v, r) => sum + (v - Number(both.truth[r])) ** 2, 0) / values.length,
    );
    expect(Math.abs(rmse - metrics.rmse!) / metrics.rmse!).toBeLessThan(1e-6);
  });

  it("refuses to replace a file without --force, an unknown format and a folder that is not a model", async () => {
    const dir = await tempDir("mg-export-refusals-");
    await writeFile(path.join(dir, "model.onnx"), "keep me");
    await cp(path.join(repoRoot, "examples/churn/data"), path.join(dir, "data"), { recursive: true });
    const { model } = await trainedChurn();

    const existing = await cliProcess(["export", "--model", model, "--format", "onnx"], dir);
    const unknown = await cliProcess(["export", "--model", model, "--format", "pmml"], dir);
    const notModel = await cliProcess(
      ["export", "--model", "data", "--format", "onnx", "--out", "x.onnx"],
      dir,
    );
    const missing = await cliProcess(["export", "--model", "nowhere", "--format", "onnx"], dir);
    const kept = await readFile(path.join(dir, "model.onnx"), "utf8");
    const forced = await cliProcess(["export", "--model", model, "--format", "onnx", "--force"], dir);

    expect(existing).toEqual({
      code: 2,
      stdout: "",
      stderr: `modelgate export: ${path.join(dir, "model.onnx")}: the file exists; pass --force to replace it\n`,
    });
    expect(unknown).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "modelgate export: --format: unknown format 'pmml'; expected one of: onnx\nRun 'modelgate export --help' for usage.\n",
    });
    expect(notModel).toEqual({
      code: 2,
      stdout: "",
      stderr: `modelgate export: ${path.join(dir, "data")}: not a modelgate model folder (no modelgate.json); expected a folder written by 'modelgate train'\n`,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path.join(dir, "nowhere")}: no such file`);
    expect(kept).toBe("keep me");
    expect(forced.code, forced.stderr).toBe(0);
    expect((await readFile(path.join(dir, "model.onnx"))).byteLength).toBeGreaterThan(1000);
  });
});
