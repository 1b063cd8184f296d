import { UserError } from "../../errors.js";
import { readManifest } from "../io.js";
import { type IMPORTED_KINDS, MODEL_KINDS, type ModelKind } from "../schema.js";
import { graphPredictor } from "./graph.js";
import { checkFiles } from "./integrity.js";
import { loadMlp } from "./modelgate-mlp/index.js";
import { onnxFormat } from "./onnx/index.js";
import { tfjsGraphFormat } from "./tfjs-graph/index.js";
import { tfjsLayersFormat } from "./tfjs-layers/index.js";
import type { FormatLoadOptions, ImportedFormat, Predictor } from "./types.js";

export { hashFile } from "./integrity.js";
export { resolveSignature, type SignatureContext, signatureColumns } from "./signature.js";
export type { FieldOf, FormatLoadOptions, ImportedFormat, Predictor, Runner, TensorInfo } from "./types.js";

/** The kinds `modelgate import` brings in; modelgate-mlp is what `train` makes. */
export const IMPORTED_FORMATS: Record<(typeof IMPORTED_KINDS)[number], ImportedFormat> = {
  onnx: onnxFormat,
  "tfjs-layers": tfjsLayersFormat,
  "tfjs-graph": tfjsGraphFormat,
};

export const modelKinds = (): readonly ModelKind[] => MODEL_KINDS;

/**
 * Opens any model folder as a Predictor: the manifest names the kind (format 1 folders are modelgate-mlp);
 * an imported model's files are hash-checked against its manifest before they are read.
 */
export async function loadPredictor(dir: string, options: FormatLoadOptions = {}): Promise<Predictor> {
  const manifest = await readManifest(dir);
  if (manifest.kind === "modelgate-mlp") return loadMlp(dir, options);
  await checkFiles(dir, manifest);
  const runner = await IMPORTED_FORMATS[manifest.kind].open(dir, options);
  return graphPredictor(runner, manifest);
}

/** Which imported kind a file or folder is: an .onnx file, or a tfjs LayersModel / GraphModel folder. */
export async function detectFormat(source: string): Promise<ImportedFormat> {
  for (const format of Object.values(IMPORTED_FORMATS)) if (await format.detect(source)) return format;
  throw new UserError(
    "not a model modelgate can import: expected an .onnx file, or a TensorFlow.js folder with model.json (layers-model or graph-model)",
    { file: source },
  );
}
