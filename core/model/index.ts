export { type BackendChoice, type BackendOptions, initBackend } from "./backend.js";
export { featureAt } from "./checks.js";
export { type Encoded, encodeTarget, transform } from "./encode.js";
export {
  detectFormat,
  type FieldOf,
  type FormatLoadOptions,
  hashFile,
  IMPORTED_FORMATS,
  loadPredictor,
  modelKinds,
  type Predictor,
  resolveSignature,
  signatureColumns,
} from "./formats/index.js";
export {
  type LoadedModel,
  type LoadOptions,
  loadModel,
  MANIFEST_JSON,
  MODEL_JSON,
  manifestOf,
  readManifest,
  saveModel,
  WEIGHTS_BIN,
} from "./io.js";
export {
  argmax,
  type NetworkPredictor,
  type Prediction,
  predict,
  predictEncoded,
  predictRecords,
} from "./predict.js";
export { type FitOptions, fitPreprocessor, type Table } from "./preprocess.js";
export { transformRecords } from "./records.js";
export {
  type Feature,
  ImportedManifest,
  MANIFEST_FORMAT,
  MlpManifest,
  ModelKind,
  ModelManifest,
  ModelSignature,
  type Preprocessor,
  PreprocessorState,
  Target,
} from "./schema.js";
export { type EpochLog, type TrainedModel, type TrainOptions, trainingLength, trainModel } from "./train.js";
