export { type BackendChoice, type BackendOptions, initBackend } from "./backend.js";
export { featureAt } from "./checks.js";
export { type Encoded, transform, transformRecords } from "./encode.js";
export {
  type LoadedModel,
  type LoadOptions,
  loadModel,
  MANIFEST_JSON,
  MODEL_JSON,
  manifestOf,
  saveModel,
  WEIGHTS_BIN,
} from "./io.js";
export {
  argmax,
  type Prediction,
  type Predictor,
  predict,
  predictEncoded,
  predictRecords,
} from "./predict.js";
export { type FitOptions, fitPreprocessor, type Table } from "./preprocess.js";
export { type Feature, ModelManifest, type Preprocessor, PreprocessorState, Target } from "./schema.js";
export { type EpochLog, type TrainedModel, type TrainOptions, trainModel } from "./train.js";
