import { readFile } from "node:fs/promises";
import path from "node:path";
import { fsError } from "../errors.js";
import { parseYamlWith } from "../yaml.js";
import { DataSchema } from "./schema.js";

export { type InferOptions, inferSchema, SchemaInferrer } from "./infer.js";
export { type RenderOptions, renderSchemaYaml } from "./render.js";
export {
  ColumnSpec,
  type ColumnSpecInput,
  ColumnType,
  DataSchema,
  type DataSchemaInput,
  RowsSpec,
} from "./schema.js";

/** Parses data schema text (YAML or JSON); errors name the file, line and field. */
export function parseDataSchema(text: string, file: string): DataSchema {
  return parseYamlWith(DataSchema, text, file);
}

/** Reads a data schema file; `file` is shown in messages as given, resolved against `cwd`. */
export async function loadDataSchema(file: string, cwd: string): Promise<DataSchema> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (error) {
    throw fsError(error, file);
  }
  return parseDataSchema(text, file);
}
