import { z } from "zod";
import { ModelConfig } from "../config/schema.js";

/**
 * What a model folder's modelgate.json holds. A model folder is untrusted (it may come from another
 * workflow run or a registry), so every field is checked on load, and bounded.
 */
const Name = z.string().min(1).max(1000);
const Finite = z.number().refine(Number.isFinite, "must be a finite number");

export const NumericFeature = z.strictObject({
  name: Name,
  kind: z.literal("numeric"),
  /** Imputed for missing values; the training median. */
  median: Finite,
  mean: Finite,
  std: Finite.refine((v) => v > 0, "must be > 0"),
  /** A 0/1 "was missing" column follows the value, only when training rows had missing values. */
  missingIndicator: z.boolean(),
});
export type NumericFeature = z.infer<typeof NumericFeature>;

export const CategoricalFeature = z.strictObject({
  name: Name,
  kind: z.literal("categorical"),
  /** One-hot columns in this order, then one for every other value (`__unknown__`, also missing). */
  categories: z.array(z.string().max(10_000)).max(100),
  /**
   * The training share of each column (categories, then other values): how an unseen or missing value
   * is encoded, so it gets the training mix's prediction instead of an untrained "unknown" weight.
   * Absent in models written before it existed: those encode such values as "other".
   */
  shares: z
    .array(Finite.refine((v) => v >= 0 && v <= 1, "must be a share in [0, 1]"))
    .max(101)
    .optional(),
});
export type CategoricalFeature = z.infer<typeof CategoricalFeature>;

export const BooleanFeature = z.strictObject({
  name: Name,
  kind: z.literal("boolean"),
  /** Imputed for missing values: the training share of true. */
  fill: Finite,
});
export type BooleanFeature = z.infer<typeof BooleanFeature>;

/** A date column, expanded: one standardised column per part (UTC), imputed with the training median. */
export const DatetimeFeature = z.strictObject({
  name: Name,
  kind: z.literal("datetime"),
  parts: z
    .array(
      z.strictObject({
        part: z.enum(["year", "month", "dayOfWeek", "hour"]),
        median: Finite,
        mean: Finite,
        std: Finite.refine((v) => v > 0, "must be > 0"),
      }),
    )
    .min(1)
    .max(4),
  /** A 0/1 "was missing" column follows the parts, only when training rows had missing dates. */
  missingIndicator: z.boolean(),
});
export type DatetimeFeature = z.infer<typeof DatetimeFeature>;

export const Feature = z.discriminatedUnion("kind", [
  NumericFeature,
  CategoricalFeature,
  BooleanFeature,
  DatetimeFeature,
]);
export type Feature = z.infer<typeof Feature>;

export const Target = z.discriminatedUnion("task", [
  z.strictObject({
    task: z.literal("classification"),
    name: Name,
    classes: z.array(z.string()).min(2).max(10_000),
  }),
  z.strictObject({ task: z.literal("regression"), name: Name, mean: Finite, std: NumericFeature.shape.std }),
]);
export type Target = z.infer<typeof Target>;

export const ColumnRoleState = z.strictObject({
  name: Name,
  role: z.enum(["feature", "datetime", "target", "id", "id-like", "constant", "date-excluded", "not-listed"]),
  reason: z.string().max(1000).optional(),
});

export const PreprocessorState = z.strictObject({
  features: z.array(Feature).min(1).max(100_000),
  target: Target,
  id: Name.optional(),
  /** What each training column was to training, and why the left-out ones were left out. */
  roles: z.array(ColumnRoleState).max(100_000).optional(),
  /** The cell texts read as missing when it was trained (`data.missing`); serving reads the same. */
  missing: z.array(z.string().max(100)).max(1000).optional(),
});
export type Preprocessor = z.infer<typeof PreprocessorState>;

/** The manifest's schema version: 2 records the model's kind; folders written as 1 still load. */
export const MANIFEST_FORMAT = 2 as const;

/** Every kind of model a folder can hold; one folder each under core/model/formats/. */
export const MODEL_KINDS = ["modelgate-mlp", "onnx", "tfjs-layers", "tfjs-graph"] as const;
export const ModelKind = z.enum(MODEL_KINDS);
export type ModelKind = z.infer<typeof ModelKind>;
export const IMPORTED_KINDS = ["onnx", "tfjs-layers", "tfjs-graph"] as const;

const Common = {
  task: z.enum(["classification", "regression"]),
  target: Name,
  /** The feature schema: what a prediction request or evaluation data must provide. */
  features: z
    .array(z.strictObject({ name: Name, kind: z.enum(["numeric", "categorical", "boolean", "datetime"]) }))
    .max(100_000),
  classes: z.array(z.string()).optional(),
  /** The tracking record (params, metrics, fingerprints...), owned by the registry. */
  run: z.unknown().optional(),
};

const MlpFields = {
  ...Common,
  preprocessor: PreprocessorState,
  config: ModelConfig,
  inputDim: z.number().int().positive(),
  /** The backend the model was trained on: metrics reproduce exactly on the same one. */
  backend: z.string().max(100),
};

const MlpManifestV1 = z
  .strictObject({ format: z.literal(1), ...MlpFields })
  .transform((m) => ({ ...m, format: MANIFEST_FORMAT, kind: "modelgate-mlp" as const }));
export const MlpManifest = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  kind: z.literal("modelgate-mlp"),
  ...MlpFields,
});
export type MlpManifest = z.infer<typeof MlpManifest>;

const TensorType = z.enum(["float32", "float64", "int32", "int64", "string", "bool"]);

/**
 * One input of an imported model and the table columns it takes. `matrix`: an [N, k] tensor of the
 * columns in order; `column`: one column ([N] or [N, 1]), the input named after it by default;
 * `encoded`: modelgate's preprocessing of `columns` (a [N, width] float tensor).
 */
export const SignatureInput = z.strictObject({
  name: Name,
  layout: z.enum(["matrix", "column", "encoded"]),
  columns: z.array(Name).min(1).max(100_000),
  dtype: TensorType,
  rank: z.union([z.literal(1), z.literal(2)]),
});
export type SignatureInput = z.infer<typeof SignatureInput>;

/** How rows go in and what comes out: read from the graph on import, completed by `model.signature`. */
export const ModelSignature = z.strictObject({
  inputs: z.array(SignatureInput).min(1).max(10_000),
  /** The output read: class probabilities ([N, classes], or [N, 1] = P(second class)) or values. */
  output: Name,
  /** Classification: the output's columns, in order. */
  classes: z.array(z.string().max(10_000)).min(2).max(10_000).optional(),
});
export type ModelSignature = z.infer<typeof ModelSignature>;

export const FileHash = z.strictObject({
  path: Name,
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ImportedManifest = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  kind: z.enum(IMPORTED_KINDS),
  ...Common,
  /** Fitted on the project's training rows: the feature kinds requests are read with (and the encoding of `encoded` inputs). */
  preprocessor: PreprocessorState,
  signature: ModelSignature,
  /** Every file of the model; a file that changed since import is refused on load. */
  files: z.array(FileHash).min(1).max(1000),
  lineage: z.strictObject({
    source: z.string().max(1000),
    importedAt: z.string().max(100),
    importedBy: z.string().max(200).optional(),
    commit: z.string().max(100).optional(),
  }),
  /** The runtime that scored it on import (e.g. onnxruntime-web). */
  backend: z.string().max(100),
});
export type ImportedManifest = z.infer<typeof ImportedManifest>;

export const ModelManifest = z.union([MlpManifest, ImportedManifest, MlpManifestV1]);
export type ModelManifest = z.infer<typeof ModelManifest>;

/** The parts of tfjs's model.json this loader relies on; the topology itself is checked by tfjs. */
export const WeightsManifestEntry = z.strictObject({
  paths: z.array(z.string().min(1).max(1000)).min(1).max(1000),
  weights: z
    .array(
      z.looseObject({
        name: z.string(),
        shape: z.array(z.number().int().nonnegative()),
        dtype: z.enum(["float32", "int32", "bool"]),
      }),
    )
    .max(100_000),
});

export const ModelJson = z.looseObject({
  modelTopology: z.record(z.string(), z.unknown()),
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  weightsManifest: z.array(WeightsManifestEntry).min(1).max(100),
});
export type ModelJson = z.infer<typeof ModelJson>;
