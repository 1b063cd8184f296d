import { UserError } from "../errors.js";
import { argmax, type Prediction, type Preprocessor } from "../model/index.js";
import { parseBody } from "./http.js";
import { columnsToRows, type FieldOf, type Row } from "./rows.js";
import { type V2Datatype, V2InferRequest } from "./schema.js";

/** The datatype each feature kind is declared with in model metadata. */
const DECLARED = { numeric: "FP64", categorical: "BYTES", boolean: "BOOL", datetime: "BYTES" } as const;

export interface V2Parsed {
  rows: Row[];
  fieldOf: FieldOf;
  id: string | undefined;
  /** Requested output names; undefined for all. */
  outputs: string[] | undefined;
}

/** Open Inference Protocol v2 infer request: one tensor per feature column, `shape` [n] or [n, 1]. */
export function v2Rows(prep: Preprocessor, body: Buffer): V2Parsed {
  const request = parseBody(V2InferRequest, body);
  const columns = new Map<string, unknown[]>();
  const index = new Map<string, number>();
  request.inputs.forEach((input, k) => {
    const field = `inputs[${k}]`;
    if (columns.has(input.name)) throw new UserError(`input "${input.name}" is given twice`, { field });
    const [rows, width = 1] = input.shape;
    // Nested data ([[1], [2]]) is allowed by the protocol for [n, 1] tensors.
    const data = input.shape.length === 2 && input.data.some(Array.isArray) ? input.data.flat() : input.data;
    if (width !== 1) {
      throw new UserError(`shape ${JSON.stringify(input.shape)}: one column per input, so [n] or [n, 1]`, {
        field: `${field}.shape`,
      });
    }
    if (data.length !== rows) {
      throw new UserError(`${data.length} values, but shape ${JSON.stringify(input.shape)} says ${rows}`, {
        field: `${field}.data`,
      });
    }
    const bad = data.findIndex((value) => !fits(input.datatype, value));
    if (bad >= 0) {
      throw new UserError(
        `expected ${input.datatype}, found ${JSON.stringify(data[bad])?.slice(0, 100) ?? typeof data[bad]}`,
        { field: `${field}.data[${bad}]` },
      );
    }
    columns.set(input.name, data);
    index.set(input.name, k);
  });
  const rows = columnsToRows(prep, columns, (name) => `inputs[${index.get(name)}].name`, "inputs");
  const known = new Set(outputNames(prep));
  request.outputs?.forEach((output, k) => {
    if (!known.has(output.name)) {
      throw new UserError(`unknown output "${output.name}"; the model gives: ${[...known].join(", ")}`, {
        field: `outputs[${k}].name`,
      });
    }
  });
  return {
    rows,
    fieldOf: (row, column) =>
      column === undefined
        ? `inputs[*].data[${row}]`
        : `inputs[${index.get(column)}].data[${row}] (${column})`,
    id: request.id,
    outputs: request.outputs?.map((o) => o.name),
  };
}

function fits(datatype: V2Datatype, value: unknown): boolean {
  if (value === null) return true;
  if (datatype === "BYTES") return typeof value === "string";
  if (datatype === "BOOL") return typeof value === "boolean";
  if (typeof value !== "number") return false;
  return datatype.startsWith("FP") || Number.isInteger(value);
}

function outputNames(prep: Preprocessor): string[] {
  return prep.target.task === "classification" ? ["label", "probabilities"] : ["predictions"];
}

export function v2Response(
  name: string,
  version: string,
  parsed: V2Parsed,
  prediction: Prediction,
): Record<string, unknown> {
  const n = prediction.task === "regression" ? prediction.values.length : 0;
  let outputs: { name: string; datatype: string; shape: number[]; data: unknown[] }[];
  if (prediction.task === "regression") {
    outputs = [{ name: "predictions", datatype: "FP64", shape: [n], data: Array.from(prediction.values) }];
  } else {
    const { classes, probabilities } = prediction;
    const k = classes.length;
    const rows = probabilities.length / k;
    const labels = Array.from(argmax(probabilities, k), (c) => classes[c]!);
    outputs = [
      { name: "label", datatype: "BYTES", shape: [rows], data: labels },
      { name: "probabilities", datatype: "FP32", shape: [rows, k], data: Array.from(probabilities) },
    ];
  }
  const wanted = parsed.outputs;
  return {
    model_name: name,
    model_version: version,
    ...(parsed.id === undefined ? {} : { id: parsed.id }),
    outputs: wanted ? outputs.filter((o) => wanted.includes(o.name)) : outputs,
  };
}

/** GET /v2/models/NAME: inputs with datatypes from the model's feature schema. */
export function v2Metadata(name: string, version: string, prep: Preprocessor) {
  const target = prep.target;
  const classes = target.task === "classification" ? target.classes.length : 1;
  return {
    name,
    versions: [version],
    platform: "tensorflowjs_layers",
    inputs: prep.features.map((f) => ({ name: f.name, datatype: DECLARED[f.kind], shape: [-1] })),
    outputs:
      target.task === "classification"
        ? [
            { name: "label", datatype: "BYTES", shape: [-1], parameters: { classes: target.classes } },
            { name: "probabilities", datatype: "FP32", shape: [-1, classes] },
          ]
        : [{ name: "predictions", datatype: "FP64", shape: [-1] }],
  };
}
