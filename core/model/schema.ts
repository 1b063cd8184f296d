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

export const Feature = z.discriminatedUnion("kind", [NumericFeature, CategoricalFeature, BooleanFeature]);
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

export const PreprocessorState = z.strictObject({
  features: z.array(Feature).min(1).max(100_000),
  target: Target,
  id: Name.optional(),
});
export type Preprocessor = z.infer<typeof PreprocessorState>;

export const MANIFEST_FORMAT = 1;

export const ModelManifest = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  task: z.enum(["classification", "regression"]),
  target: Name,
  /** The feature schema: what a prediction request or evaluation data must provide. */
  features: z.array(z.strictObject({ name: Name, kind: z.enum(["numeric", "categorical", "boolean"]) })),
  classes: z.array(z.string()).optional(),
  preprocessor: PreprocessorState,
  config: ModelConfig,
  inputDim: z.number().int().positive(),
  /** The backend the model was trained on: metrics reproduce exactly on the same one. */
  backend: z.string().max(100),
  /** The tracking record (params, metrics, fingerprints...), owned by the registry. */
  run: z.unknown().optional(),
});
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
