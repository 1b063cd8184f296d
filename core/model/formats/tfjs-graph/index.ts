import * as tf from "@tensorflow/tfjs";
import { loadError, readOut, readTfjs, tensorInfo, tfjsFiles, tfjsFormatOf, toTensor } from "../tfjs.js";
import type { ImportedFormat } from "../types.js";

/** A TensorFlow.js GraphModel folder, as tensorflowjs_converter writes from a SavedModel. */
export const tfjsGraphFormat: ImportedFormat = {
  kind: "tfjs-graph",
  detect: async (source) => (await tfjsFormatOf(source)) === "graph-model",
  files: tfjsFiles,
  async open(dir, options) {
    const artifacts = await readTfjs(dir, options);
    let model: tf.GraphModel;
    try {
      model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
    } catch (error) {
      throw loadError("TensorFlow.js graph model", dir, error);
    }
    const info = (t: tf.ModelTensorInfo) => tensorInfo(t.name, t.shape, t.dtype);
    return {
      inputs: model.inputs.map(info),
      outputs: model.outputs.map(info),
      backend: `tfjs-${tf.getBackend()}`,
      async run(feeds, output) {
        const inputs = Object.fromEntries(
          Object.entries(feeds).map(([name, feed]) => [name, toTensor(feed)]),
        );
        try {
          const out = (await model.executeAsync(inputs, output)) as tf.Tensor;
          return readOut(out);
        } finally {
          for (const t of Object.values(inputs)) t.dispose();
        }
      },
      dispose: () => model.dispose(),
    };
  },
};
