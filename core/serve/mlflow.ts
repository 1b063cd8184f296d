import { UserError } from "../errors.js";
import type { Preprocessor } from "../model/index.js";
import { parseBody } from "./http.js";
import { columnsToRows, type FieldOf, type Row, rowField } from "./rows.js";
import { MlflowRequest } from "./schema.js";

const FORMATS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

/** MLflow's scoring server body: exactly one of dataframe_split, dataframe_records, instances, inputs. */
export function mlflowRows(prep: Preprocessor, body: Buffer): { rows: Row[]; fieldOf: FieldOf } {
  const request = parseBody(MlflowRequest, body);
  const given = FORMATS.filter((key) => request[key] !== undefined);
  if (given.length !== 1) {
    throw new UserError(
      `expected exactly one of ${FORMATS.join(", ")}; found ${given.join(", ") || "none"}`,
      {
        field: "body",
      },
    );
  }
  if (request.dataframe_records) {
    return { rows: request.dataframe_records, fieldOf: rowField("dataframe_records") };
  }
  if (request.instances) return { rows: request.instances, fieldOf: rowField("instances") };
  if (Array.isArray(request.inputs)) return { rows: request.inputs, fieldOf: rowField("inputs") };
  if (request.inputs) {
    const rows = columnsToRows(prep, new Map(Object.entries(request.inputs)), (c) => `inputs.${c}`, "inputs");
    return { rows, fieldOf: (row, column) => `inputs.${column ?? ""}[${row}]` };
  }
  return splitRows(prep, request.dataframe_split!);
}

/** pandas' orient="split": column names once, then rows as lists in that order. */
function splitRows(
  prep: Preprocessor,
  split: NonNullable<MlflowRequest["dataframe_split"]>,
): { rows: Row[]; fieldOf: FieldOf } {
  const { columns, data } = split;
  const position = new Map<string, number>();
  columns.forEach((name, j) => {
    if (position.has(name)) {
      throw new UserError(`column "${name}" is named twice`, { field: `dataframe_split.columns[${j}]` });
    }
    position.set(name, j);
  });
  const lists = new Map<string, unknown[]>(columns.map((name) => [name, new Array(data.length)]));
  data.forEach((values, r) => {
    if (values.length !== columns.length) {
      throw new UserError(`${values.length} values, but "columns" names ${columns.length}`, {
        field: `dataframe_split.data[${r}]`,
      });
    }
    columns.forEach((name, j) => {
      lists.get(name)![r] = values[j];
    });
  });
  const rows = columnsToRows(
    prep,
    lists,
    (name) => `dataframe_split.columns[${position.get(name)}]`,
    "dataframe_split.columns",
  );
  return {
    rows,
    fieldOf: (row, column) =>
      column === undefined
        ? `dataframe_split.data[${row}]`
        : `dataframe_split.data[${row}][${position.get(column)}] (${column})`,
  };
}
