import { z } from "zod";
import { DEFAULT_MISSING } from "../data/cells.js";
import { Command, ParamSpecs } from "./command.js";
import { DRIFT_METHOD_NAMES } from "./plugin-names.js";

/** Names a column; empty names are never valid. */
const Column = z.string().min(1);
const Path = z.string().min(1);

export const SplitConfig = z.strictObject({
  test: z.number().gt(0).lt(1).default(0.2).describe("share of rows held out for testing"),
  seed: z.number().int().default(42).describe("seed of the split"),
  stratify: z.boolean().default(true).describe("keep class shares equal in both parts (classification)"),
});
export type SplitConfig = z.infer<typeof SplitConfig>;

export const DataConfig = z.strictObject({
  train: Path.describe("training data: CSV, TSV, JSON Lines or Parquet; a path, a glob or an http(s) URL"),
  test: Path.optional().describe("test data; without it, a split of train"),
  split: SplitConfig.prefault({}).describe("how train is split when there is no test file"),
  target: Column.describe("the column the model predicts"),
  id: Column.optional().describe("row key: never a feature; keys the data diff"),
  features: z.array(Column).min(1).optional().describe("default: every column but target and id"),
  schema: Path.optional().describe("data schema file; inferred when missing"),
  delimiter: z
    .string()
    .length(1)
    .optional()
    .describe("CSV delimiter; default: sniffed from the header (comma, tab, semicolon, pipe)"),
  missing: z
    .array(z.string())
    .default([...DEFAULT_MISSING])
    .describe("cell texts every command reads as missing (the empty cell always is); default: pandas' list"),
  dates: z
    .enum(["expand", "exclude"])
    .default("expand")
    .describe("date columns in training: expand into year, month, day of week and hour, or leave them out"),
});
export type DataConfig = z.infer<typeof DataConfig>;

/** Completes what an imported model's graph does not say (`modelgate import`); see README "Bring your own model". */
export const SignatureConfig = z.strictObject({
  inputs: z
    .array(
      z.strictObject({
        name: z.string().min(1).describe("the graph's input name"),
        columns: z
          .array(Column)
          .min(1)
          .optional()
          .describe(
            "the table columns an [N, k] input takes, in order; default: the one column it is named after",
          ),
      }),
    )
    .min(1)
    .optional()
    .describe("inputs whose columns the graph cannot tell"),
  output: z
    .string()
    .min(1)
    .optional()
    .describe("the output to read (default: the graph's only or first float output)"),
  classes: z
    .array(z.string())
    .min(2)
    .optional()
    .describe("class labels in the output's column order (default: the target's labels, sorted)"),
});
export type SignatureConfig = z.infer<typeof SignatureConfig>;

export const ModelConfig = z.strictObject({
  task: z.enum(["classification", "regression"]).optional().describe("inferred from the target when missing"),
  hidden: z.array(z.number().int().positive()).default([64, 32]).describe("units of each hidden layer"),
  activation: z
    .enum(["relu", "elu", "selu", "tanh", "sigmoid", "gelu", "swish", "linear"])
    .default("relu")
    .describe("activation of the hidden layers"),
  dropout: z.number().min(0).lt(1).default(0.1).describe("dropout rate after each hidden layer"),
  l2: z.number().min(0).default(0).describe("L2 weight penalty"),
  optimizer: z.enum(["adam", "sgd", "rmsprop", "adagrad"]).default("adam").describe("gradient optimizer"),
  epochs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      "most passes over the training rows; default 50, or more on small data so that training takes at least 1,000 optimizer steps",
    ),
  batchSize: z.number().int().positive().default(128).describe("rows per gradient step"),
  learningRate: z.number().positive().default(0.002).describe("optimizer step size"),
  earlyStopping: z
    .union([z.literal(false), z.strictObject({ patience: z.number().int().positive().default(10) })])
    .default({ patience: 10 })
    .describe("false turns early stopping off"),
  validationSplit: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.1)
    .describe("share of training rows used for early stopping"),
  seed: z.number().int().default(42).describe("same seed + data + config => same metrics"),
  backend: z
    .enum(["auto", "node", "wasm", "cpu"])
    .default("auto")
    .describe("tfjs backend; auto: tfjs-node when installed, else wasm, else cpu"),
  signature: SignatureConfig.optional().describe(
    "an imported model's inputs, output and classes (modelgate import)",
  ),
  command: Command.optional().describe(
    "your own training program as an argv (no shell), e.g. [python3, train.py, --data, {train}, --out, {out}]; placeholders {train} {test} {out} {target} {params} {param.NAME} fill whole arguments",
  ),
  params: ParamSpecs.optional().describe(
    "the params model.command takes, each typed and bounded: { type: number|integer, default, min, max } | { type: boolean, default } | { type: string, values, default }",
  ),
  timeout: z
    .number()
    .positive()
    .max(86_400)
    .optional()
    .describe("seconds model.command may run before it is stopped; default 3600"),
});
export type ModelConfig = z.infer<typeof ModelConfig>;

export const MetricsConfig = z.strictObject({
  primary: z.string().min(1).optional().describe("default: f1_macro for classification, rmse for regression"),
});

export const OnInconclusive = z
  .enum(["fail", "pass"])
  .describe("what an inconclusive maxDrop/maxIncrease gate does to the merge: fail (block) or pass");
export type OnInconclusive = z.infer<typeof OnInconclusive>;

const GateBase = { metric: z.string().min(1) };
export const Gate = z.union([
  z.strictObject({ ...GateBase, min: z.number() }),
  z.strictObject({ ...GateBase, max: z.number() }),
  z.strictObject({ ...GateBase, maxDrop: z.number().min(0), onInconclusive: OnInconclusive.optional() }),
  z.strictObject({ ...GateBase, maxIncrease: z.number().min(0), onInconclusive: OnInconclusive.optional() }),
]);
export type Gate = z.infer<typeof Gate>;

/** `auto` or a method of the registry core/drift/methods/index.ts (its names generated into plugin-names.ts). */
export const DriftMethodName = z.enum(["auto", ...DRIFT_METHOD_NAMES]);
export const DriftConfig = z.strictObject({
  reference: Path.optional().describe("a data file or a stored profile (.json)"),
  current: Path.optional().describe("current data: a file, glob or URL"),
  method: DriftMethodName.default("auto").describe(
    "per-column test; auto chooses by column kind and reference size",
  ),
  threshold: z
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe("dataset drift when this share of columns drifted"),
  minRows: z
    .number()
    .int()
    .positive()
    .default(1)
    .describe("fewer current rows than this is 'nothing to compare' (exit 1), never a pass"),
  minLabels: z
    .number()
    .int()
    .positive()
    .default(30)
    .describe("live performance needs this many labelled predictions; fewer is 'too few labels'"),
});

export const RegistryConfig = z.strictObject({
  store: z
    .enum(["local", "github"])
    .default("local")
    .describe("local: .modelgate/; github: branch modelgate-registry"),
  path: Path.default(".modelgate").describe("folder of the local store"),
});

export const GithubConfig = z.strictObject({
  workflows: z
    .strictObject({
      evaluate: z
        .string()
        .regex(/^[A-Za-z0-9._/-]{1,200}$/, "a workflow file name, e.g. modelgate.yml")
        .default("modelgate.yml")
        .describe(
          "the pull-request workflow whose modelgate-report the bot judges (file under .github/workflows/); runs of any other workflow are ignored",
        ),
      retrain: z.string().default("modelgate.yml"),
      drift: z.string().default("modelgate-drift.yml"),
      publish: z.string().default("modelgate-release.yml"),
      tune: z.string().default("modelgate-sweep.yml"),
    })
    .prefault({}),
  testDataChange: z
    .enum(["accept", "note"])
    .default("accept")
    .describe(
      "when a pull request's test data differs from the champion's: accept = delta gates fail until a maintainer accepts; note = only said first in the comment",
    ),
});

const Range = z.strictObject({
  min: z.number(),
  max: z.number(),
  log: z.boolean().default(false),
  integer: z.boolean().default(false),
});
export const TuneConfig = z.strictObject({
  trials: z.number().int().positive().default(20).describe("trials in the sweep"),
  metric: z.string().min(1).optional().describe("default: metrics.primary"),
  strategy: z.enum(["random", "grid"]).default("random").describe("random (seeded) or grid search"),
  seed: z.number().int().default(42),
  space: z
    .record(z.string(), z.union([z.array(z.unknown()).min(1), Range]))
    .default({})
    .describe("model: keys to search: a list of values, or { min, max, log, integer }"),
});

export const Config = z.strictObject({
  version: z.literal(1).describe("config format version"),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-'")
    .describe("model name in the registry"),
  data: DataConfig,
  model: ModelConfig.prefault({}),
  metrics: MetricsConfig.prefault({}),
  gates: z.array(Gate).default([]).describe("read from the base branch on pull requests"),
  significance: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.05)
    .describe("one-sided level of the maxDrop/maxIncrease bounds (0.05: 95% confidence)"),
  onInconclusive: OnInconclusive.default("fail"),
  drift: DriftConfig.prefault({}),
  registry: RegistryConfig.prefault({}),
  github: GithubConfig.prefault({}),
  tune: TuneConfig.optional(),
});
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;
