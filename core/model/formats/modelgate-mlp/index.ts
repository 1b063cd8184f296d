import { loadModel } from "../../io.js";
import { fromTfjs } from "../../network.js";
import { predict, predictRecords } from "../../predict.js";
import { withFields } from "../rows.js";
import type { FormatLoadOptions, Predictor } from "../types.js";

/** A model modelgate trained: tfjs's layers layout plus the saved preprocessing (manifest format 1 or 2). */
export async function loadMlp(dir: string, options: FormatLoadOptions): Promise<Predictor> {
  const loaded = await loadModel(dir, options);
  // The kernels run the plain network read out of tfjs's layers (a modelgate-mlp always is one).
  const plain = fromTfjs(loaded.model);
  const network = {
    model: loaded.model,
    preprocessor: loaded.preprocessor,
    inputDim: loaded.inputDim,
    ...(plain ? { network: plain } : {}),
  };
  return {
    kind: "modelgate-mlp",
    manifest: loaded.manifest,
    preprocessor: loaded.preprocessor,
    backend: loaded.manifest.backend,
    network,
    predict: async (table) => predict(network, table),
    // Checked records go on as a table: encoded straight into the kernel's input, as `predict` does.
    predictRows: async (rows, fieldOf) => withFields(fieldOf, () => predictRecords(network, rows)),
    dispose: () => loaded.model.dispose(),
  };
}
