import { UserError } from "../errors.js";
import type { Preprocessor } from "../model/index.js";
import { parseBody } from "./http.js";
import { columnsToRows, type FieldOf, type Row, rowField } from "./rows.js";
import { V1PredictRequest } from "./schema.js";

/** TensorFlow Serving's REST API: `{"instances": [rows]}` or `{"inputs": {column: values}}`. */
export function v1Rows(prep: Preprocessor, body: Buffer): { rows: Row[]; fieldOf: FieldOf } {
  const request = parseBody(V1PredictRequest, body);
  if ((request.instances === undefined) === (request.inputs === undefined)) {
    throw new UserError('expected either "instances" (a list of rows) or "inputs" (columns), not both', {
      field: "body",
    });
  }
  if (request.instances) return { rows: request.instances, fieldOf: rowField("instances") };
  const columns = new Map(Object.entries(request.inputs!));
  const rows = columnsToRows(prep, columns, (column) => `inputs.${column}`, "inputs");
  return { rows, fieldOf: (row, column) => `inputs.${column ?? ""}[${row}]` };
}

/** GET /v1/models/NAME: TF Serving's GetModelStatus response. */
export function v1Status(version: string) {
  return {
    model_version_status: [{ version, state: "AVAILABLE", status: { error_code: "OK", error_message: "" } }],
  };
}

// A date is sent as text (the forms of core/data/dates.ts).
const TF_DTYPE = {
  numeric: "DT_FLOAT",
  categorical: "DT_STRING",
  boolean: "DT_BOOL",
  datetime: "DT_STRING",
} as const;

const tensor = (name: string, dtype: string, dims: number[]) => ({
  dtype,
  tensor_shape: { dim: dims.map((size) => ({ size: String(size), name: "" })), unknown_rank: false },
  name,
});

/** GET /v1/models/NAME/metadata: TF Serving's GetModelMetadata, the serving_default signature. */
export function v1Metadata(name: string, version: string, prep: Preprocessor) {
  const target = prep.target;
  const outputs =
    target.task === "classification"
      ? {
          label: tensor("label", "DT_STRING", [-1]),
          probabilities: tensor("probabilities", "DT_FLOAT", [-1, target.classes.length]),
        }
      : { predictions: tensor("predictions", "DT_FLOAT", [-1]) };
  return {
    model_spec: { name, signature_name: "", version },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs: Object.fromEntries(
              prep.features.map((f) => [f.name, tensor(f.name, TF_DTYPE[f.kind], [-1])]),
            ),
            outputs,
            method_name: "tensorflow/serving/predict",
          },
        },
      },
    },
  };
}
