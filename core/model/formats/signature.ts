import type { SignatureConfig } from "../../config/schema.js";
import { UserError } from "../../errors.js";
import type { ModelSignature, SignatureInput } from "../schema.js";
import type { TensorInfo, TensorType } from "./types.js";

const FIELD = "model.signature";
const TYPES: Record<string, TensorType> = {
  float32: "float32",
  float: "float32",
  float64: "float64",
  double: "float64",
  int32: "int32",
  int64: "int64",
  string: "string",
  bool: "bool",
};

export interface SignatureContext {
  /** The project's feature columns, in config order (data.features or every column but target and id). */
  features: string[];
  /** Every column of the training data. */
  columns: string[];
  task: "classification" | "regression";
  /** The target's labels as modelgate orders them (sorted): the default class order. */
  classes: string[] | undefined;
  /** Set when the model takes modelgate's encoded rows (a tfjs model behind modelgate's preprocessing). */
  encodedWidth?: number;
}

/**
 * The graph's inputs and outputs, completed by `model.signature`: which columns feed which input, which
 * output is read, which class is which. Anything the two cannot settle is a UserError saying what to add.
 */
export function resolveSignature(
  graph: { inputs: TensorInfo[]; outputs: TensorInfo[] },
  config: SignatureConfig | undefined,
  context: SignatureContext,
): ModelSignature {
  const configured = new Map((config?.inputs ?? []).map((input) => [input.name, input]));
  for (const name of configured.keys()) {
    if (!graph.inputs.some((input) => input.name === name))
      throw new UserError(`the model has no input "${name}"; its inputs: ${names(graph.inputs)}`, {
        field: `${FIELD}.inputs`,
      });
  }
  const inputs = graph.inputs.map((input) =>
    resolveInput(input, configured.get(input.name)?.columns, graph, context),
  );
  const unknown = inputs
    .flatMap((i) => (i.layout === "encoded" ? [] : i.columns))
    .filter((c) => !context.columns.includes(c));
  if (unknown.length > 0) {
    throw new UserError(
      `the model's inputs take column(s) the data does not have: ${[...new Set(unknown)].join(", ")}; the data has: ${context.columns.join(", ")}`,
      { field: `${FIELD}.inputs` },
    );
  }
  const output = pickOutput(graph.outputs, config?.output);
  const classes = context.task === "classification" ? (config?.classes ?? context.classes) : undefined;
  if (context.task === "classification" && !classes)
    throw new UserError("a classification model needs its class labels", { field: `${FIELD}.classes` });
  checkOutputWidth(output, classes);
  return { inputs, output: output.name, ...(classes ? { classes } : {}) };
}

function resolveInput(
  input: TensorInfo,
  listed: string[] | undefined,
  graph: { inputs: TensorInfo[] },
  context: SignatureContext,
): SignatureInput {
  const dtype = TYPES[input.dtype];
  if (!dtype)
    throw new UserError(
      `input "${input.name}" is of type ${input.dtype}; modelgate feeds numbers, strings or booleans`,
      {
        field: `${FIELD}.inputs`,
      },
    );
  const shape = input.shape;
  const rank = shape === undefined ? 2 : shape.length;
  if (rank !== 1 && rank !== 2)
    throw new UserError(
      `input "${input.name}" has shape ${shapeOf(input)}; modelgate feeds rows as [N] or [N, k] tensors`,
      { field: `${FIELD}.inputs` },
    );
  const width = rank === 2 && typeof shape?.[1] === "number" && shape[1] > 0 ? shape[1] : undefined;
  const where = { field: `${FIELD}.inputs` };
  if (context.encodedWidth !== undefined) {
    if (graph.inputs.length !== 1 || rank !== 2 || (width !== undefined && width !== context.encodedWidth))
      throw new UserError(
        `behind modelgate's preprocessing the model must take one [N, ${context.encodedWidth}] input; "${input.name}" has shape ${shapeOf(input)}`,
        where,
      );
    return { name: input.name, layout: "encoded", columns: context.features, dtype: "float32", rank: 2 };
  }
  const named = !listed && context.columns.includes(input.name);
  if (named || (listed?.length === 1 && (width === 1 || rank === 1))) {
    if (width !== undefined && width !== 1)
      throw new UserError(
        `input "${input.name}" takes ${width} values per row; list its columns in ${FIELD}.inputs`,
        where,
      );
    return {
      name: input.name,
      layout: "column",
      columns: listed ?? [input.name],
      dtype,
      rank: rank as 1 | 2,
    };
  }
  const columns =
    listed ?? (graph.inputs.length === 1 && width === context.features.length ? context.features : undefined);
  if (!columns) {
    throw new UserError(
      width === undefined
        ? `input "${input.name}" is not named after a column and its width is unknown; list its columns in ${FIELD}.inputs`
        : `input "${input.name}" takes ${width} columns per row, the data has ${context.features.length} features (${context.features.join(", ")}); list the input's columns in ${FIELD}.inputs (or, for a model trained on modelgate's encoded rows, import it with --preprocessor)`,
      where,
    );
  }
  if (rank !== 2 || (width !== undefined && width !== columns.length))
    throw new UserError(
      `input "${input.name}" has shape ${shapeOf(input)}, but ${columns.length} column(s) are listed for it (${columns.join(", ")})`,
      where,
    );
  return { name: input.name, layout: "matrix", columns, dtype, rank: 2 };
}

function pickOutput(outputs: TensorInfo[], wanted: string | undefined): TensorInfo {
  if (wanted) {
    const found = outputs.find((o) => o.name === wanted);
    if (!found)
      throw new UserError(`the model has no output "${wanted}"; its outputs: ${names(outputs)}`, {
        field: `${FIELD}.output`,
      });
    return found;
  }
  const floats = outputs.filter((o) => o.dtype === "float32" || o.dtype === "float64" || o.dtype === "float");
  const found = outputs.length === 1 ? outputs[0] : floats[0];
  if (!found)
    throw new UserError(
      `none of the model's outputs (${names(outputs)}) holds numbers; name one in ${FIELD}.output`,
      {
        field: `${FIELD}.output`,
      },
    );
  return found;
}

function checkOutputWidth(output: TensorInfo, classes: string[] | undefined): void {
  const width = output.shape?.[1];
  if (typeof width !== "number" || width <= 0) return;
  const expected = classes ? classes.length : 1;
  if (width === expected || (classes?.length === 2 && width === 1)) return;
  throw new UserError(
    classes
      ? `output "${output.name}" gives ${width} values per row, but there are ${classes.length} classes (${classes.join(", ")})`
      : `output "${output.name}" gives ${width} values per row; a regression model gives one`,
    { field: `${FIELD}.output` },
  );
}

/** Every column the signature reads, once, in first-use order. */
export function signatureColumns(signature: ModelSignature): string[] {
  return [...new Set(signature.inputs.flatMap((i) => i.columns))];
}

const shapeOf = (t: TensorInfo) => `[${t.shape?.map((d) => d ?? "N").join(", ") ?? "?"}]`;
const names = (list: TensorInfo[]) => list.map((t) => `"${t.name}" ${shapeOf(t)}`).join(", ");
