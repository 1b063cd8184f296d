import { Document, isMap, type YAMLMap } from "yaml";
import type { ColumnSpec, DataSchema } from "./schema.js";

/** Fields whose value equals the default are left out so the file shows only decisions. */
const DEFAULTS: Partial<Record<keyof ColumnSpec, unknown>> = { nullable: true, mostly: 1, unique: false };
const ORDER: (keyof ColumnSpec)[] = [
  "type",
  "min",
  "max",
  "values",
  "pattern",
  "minLength",
  "maxLength",
  "nullable",
  "mostly",
  "unique",
  "description",
];

export interface RenderOptions {
  /** Comment lines written above the schema, e.g. where it was inferred from. */
  header?: string[];
}

/** A data schema as YAML, one flow mapping per column as in the README. */
export function renderSchemaYaml(schema: DataSchema, options: RenderOptions = {}): string {
  const columns: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(schema.columns)) {
    const shown: Record<string, unknown> = {};
    for (const key of ORDER) {
      const value = spec[key];
      if (value !== undefined && DEFAULTS[key] !== value) shown[key] = value;
    }
    columns[name] = shown;
  }
  const rows: Record<string, unknown> = {};
  if (schema.rows.min !== undefined) rows.min = schema.rows.min;
  if (schema.rows.max !== undefined) rows.max = schema.rows.max;
  if (schema.rows.duplicates !== "warning") rows.duplicates = schema.rows.duplicates;

  const doc = new Document({ rows, columns, additionalColumns: schema.additionalColumns });
  for (const node of [
    doc.get("rows"),
    ...((doc.get("columns") as YAMLMap).items.map((pair) => pair.value) ?? []),
  ]) {
    if (isMap(node)) node.flow = true;
  }
  const header = options.header ?? [
    "modelgate data schema (see README 'Data schema file').",
    "Types: integer, number, boolean, category, string, datetime.",
  ];
  doc.commentBefore = header.map((line) => ` ${line}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}
