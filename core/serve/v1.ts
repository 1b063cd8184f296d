import { UserError } from "../errors.js";
import type { Prediction, Preprocessor } from "../model/index.js";
import { parseBody } from "./http.js";
import { columnsToRows, type FieldOf, predictionRows, type Row, rowField } from "./rows.js";
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

export function v1Response(prediction: Prediction): { predictions: unknown[] } {
  return { predictions: predictionRows(prediction) };
}

/** GET /v1/models/NAME: TF Serving's GetModelStatus response. */
export function v1Status(version: string) {
  return {
    model_version_status: [{ version, state: "AVAILABLE", status: { error_code: "OK", error_message: "" } }],
  };
}
