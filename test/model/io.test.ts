import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import {
  loadModel,
  predict,
  predictRecords,
  saveModel,
  type TrainedModel,
  trainModel,
} from "../../core/model/index.js";
import { silentLogger } from "../../core/ports.js";
import { classificationTable, config } from "./data.js";

let root: string;
let trained: TrainedModel;
let dir: string;
const table = classificationTable(200, ["no", "yes"]);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "modelgate-model-"));
  trained = await trainModel(table, config({ epochs: 3 }), { target: "label", logger: silentLogger });
  dir = path.join(root, "model");
  await saveModel(dir, trained, { runId: "r1" });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A copy of the saved folder with one file replaced. */
async function tampered(name: string, file: string, content: string | Uint8Array): Promise<string> {
  const copy = path.join(root, name);
  await cp(dir, copy, { recursive: true });
  await writeFile(path.join(copy, file), content);
  return copy;
}

async function loadError(folder: string): Promise<UserError> {
  const error = await loadModel(folder).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof UserError) return error;
  throw new Error(`expected a UserError, got ${String(error)}`);
}

describe("saveModel / loadModel", () => {
  it("round-trips: the loaded model predicts exactly what the trained one did", async () => {
    const loaded = await loadModel(dir);

    expect(predict(loaded, table)).toEqual(predict(trained, table));
    expect(loaded.manifest.run).toEqual({ runId: "r1" });
    expect(loaded.manifest.features.map((f) => f.name)).toEqual(["a", "b", "color", "flag"]);
    expect(loaded.manifest.classes).toEqual(["no", "yes"]);
  });

  it("writes tfjs's standard layout that tf.loadLayersModel reads through its own loader", async () => {
    const modelJson = JSON.parse(await readFile(path.join(dir, "model.json"), "utf8"));
    const weights = await readFile(path.join(dir, "weights.bin"));

    const model = await tf.loadLayersModel(
      tf.io.fromMemory(
        modelJson.modelTopology,
        modelJson.weightsManifest[0].weights,
        new Uint8Array(weights).buffer,
      ),
    );

    expect(modelJson.weightsManifest[0].paths).toEqual(["weights.bin"]);
    expect(model.getWeights().map((w) => w.shape)).toEqual(trained.model.getWeights().map((w) => w.shape));
  });

  it("predicts from JSON records through the saved preprocessing", async () => {
    const loaded = await loadModel(dir);

    const prediction = predictRecords(loaded, [{ a: 3, b: 0, color: "red", flag: true }]);

    expect(prediction.task === "classification" && prediction.probabilities.length).toBe(2);
  });

  it("refuses weight paths that leave the folder", async () => {
    const modelJson = JSON.parse(await readFile(path.join(dir, "model.json"), "utf8"));
    for (const [name, bad] of [
      ["up", "../weights.bin"],
      ["abs", "/etc/passwd"],
    ] as const) {
      modelJson.weightsManifest[0].paths = [bad];
      const folder = await tampered(`traversal-${name}`, "model.json", JSON.stringify(modelJson));

      const error = await loadError(folder);

      expect(error.message).toMatch(/leaves the model folder/);
    }
  });

  it("refuses a truncated weights.bin, naming the file", async () => {
    const weights = await readFile(path.join(dir, "weights.bin"));
    const folder = await tampered("truncated", "weights.bin", weights.subarray(0, weights.length - 8));

    const error = await loadError(folder);

    expect(error.message).toMatch(/weights\.bin: \d+ bytes, but model\.json describes \d+/);
    expect(error.location.file).toBe(path.join(folder, "weights.bin"));
  });

  it("refuses a modelgate.json that fails its schema, naming the field", async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, "modelgate.json"), "utf8"));
    manifest.preprocessor.features[0].std = -1;
    const folder = await tampered("bad-manifest", "modelgate.json", JSON.stringify(manifest));

    const error = await loadError(folder);

    expect(error.location).toEqual({
      file: path.join(folder, "modelgate.json"),
      field: "preprocessor.features.0.std",
    });
  });

  it("refuses data that lacks the model's feature columns, naming them", async () => {
    const loaded = await loadModel(dir);

    const run = () => predict(loaded, { columns: ["a", "flag"], data: [["1"], ["true"]] });

    expect(run).toThrow(UserError);
    expect(run).toThrow(/lacks the model's feature columns: b, color/);
  });
});
