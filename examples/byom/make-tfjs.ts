// Writes examples/byom/tfjs-conv/ (a TensorFlow.js LayersModel with a conv1d layer) and
// tfjs-conv.preprocessor.json (modelgate's preprocessing it was trained behind), from the churn
// example's training rows. Run by hand (not in CI): npx tsx examples/byom/make-tfjs.ts
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { openData, readTable } from "../../core/data/readers/index.js";
import { initBackend } from "../../core/model/backend.js";
import { transform } from "../../core/model/encode.js";
import { encodedWidth, fitPreprocessor } from "../../core/model/preprocess.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "tfjs-conv");
const silent = { debug() {}, info() {}, warning() {}, error() {}, group: <T>(_: string, f: () => T) => f() };

await initBackend("cpu", silent as never);
const [source] = await openData(path.join(here, "../churn/data/train.csv"), { cwd: here });
const table = await readTable(source!);
const prep = fitPreprocessor(table, { target: "churned", id: "customer_id", task: "classification" });
const { x, y, rows } = transform(prep, table);
const width = encodedWidth(prep.features);

const init = (seed: number) => tf.initializers.glorotUniform({ seed });
const model = tf.sequential({
  layers: [
    tf.layers.reshape({ inputShape: [width], targetShape: [width, 1] }),
    tf.layers.conv1d({ filters: 4, kernelSize: 3, activation: "relu", kernelInitializer: init(1) }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 2, activation: "softmax", kernelInitializer: init(2) }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: "sparseCategoricalCrossentropy" });
await model.fit(tf.tensor2d(x, [rows, width]), tf.tensor1d(y!), {
  epochs: 15,
  batchSize: 64,
  shuffle: false,
  verbose: 0,
});

await mkdir(out, { recursive: true });
await model.save(
  tf.io.withSaveHandler(async (artifacts) => {
    const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeFile(path.join(out, "model.json"), JSON.stringify(modelJson));
    await writeFile(path.join(out, "weights.bin"), weights);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }),
);
await writeFile(path.join(here, "tfjs-conv.preprocessor.json"), `${JSON.stringify(prep, null, 2)}\n`);
process.stdout.write(`wrote ${out} (input width ${width})\n`);
