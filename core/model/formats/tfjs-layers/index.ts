import * as tf from "@tensorflow/tfjs";
import { loadError, readOut, readTfjs, tensorInfo, tfjsFiles, tfjsFormatOf, toTensor } from "../tfjs.js";
import type { ImportedFormat } from "../types.js";

/** A TensorFlow.js LayersModel folder (model.json + weights), e.g. tensorflowjs_converter's or model.save's. */
export const tfjsLayersFormat: ImportedFormat = {
  kind: "tfjs-layers",
  detect: async (source) => (await tfjsFormatOf(source)) === "layers-model",
  files: tfjsFiles,
  async open(dir, options) {
    const artifacts = await readTfjs(dir, options);
    let model: tf.LayersModel;
    try {
      model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    } catch (error) {
      throw loadError("TensorFlow.js layers model", dir, error);
    }
    // A Sequential leaves inputNames empty on the outer model: fall back to the tensors' own names.
    const inputNames = model.inputs.map((t, i) => model.inputNames?.[i] ?? t.name);
    const outputNames = model.outputs.map((t, i) => model.outputNames?.[i] ?? t.name);
    return {
      inputs: model.inputs.map((t, i) => tensorInfo(inputNames[i]!, t.shape, t.dtype)),
      outputs: model.outputs.map((t, i) => tensorInfo(outputNames[i]!, t.shape, t.dtype)),
      backend: `tfjs-${tf.getBackend()}`,
      async run(feeds, output) {
        const index = Math.max(0, outputNames.indexOf(output));
        const result = tf.tidy(() => {
          // tfjs numbers auto-named layers per process, so a name may differ between two loads; the
          // signature lists inputs in the model's order, so position decides when the name does not.
          const given = Object.values(feeds);
          const inputs = inputNames.map((name, i) => toTensor(feeds[name] ?? given[i]!));
          const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
          return Array.isArray(out) ? out[index]! : out;
        });
        return readOut(result);
      },
      dispose: () => model.dispose(),
    };
  },
};
