import { missingTokens } from "../data/cells.js";
import type { ColumnHint } from "../data/types.js";
import type { DataSchema } from "../data-schema/schema.js";
import { type ColumnPlan, MissingRule, type Plan } from "./check.js";
import { compileRunner } from "./runners.js";
import type { ValidateOptions } from "./schema.js";

/** Compiles the schema against a header once, so the per-batch loops only run closures. */
export function compilePlan(schema: DataSchema, header: readonly string[], options: ValidateOptions): Plan {
  const tokens = missingTokens(options.missing);
  const columns = header.map((name): ColumnPlan => {
    const listed = Object.hasOwn(schema.columns, name);
    // Columns the schema does not list are still hashed for duplicate rows, and may be target or id.
    const spec = listed
      ? schema.columns[name]!
      : { type: "string" as const, nullable: true, mostly: 1, unique: false };
    const missing =
      name === options.target ? MissingRule.target : spec.nullable ? MissingRule.allowed : MissingRule.error;
    const unique = spec.unique || name === options.id;
    const run = compileRunner({ name, spec, missing, unique, maxErrors: options.maxErrors, tokens });
    return { name, spec, listed, missing, unique, run };
  });
  return { schema, header, options, columns, hashRows: schema.rows.duplicates !== "ignore" };
}

/**
 * How a reader may type each header column for validation and profiling (BatchOptions.typed):
 * numbers parsed once for both, repeated text read once. Unlisted columns are text to the checks.
 */
export function columnHints(schema: DataSchema, header: readonly string[]): ColumnHint[] {
  return header.map((name) => {
    const type = Object.hasOwn(schema.columns, name) ? schema.columns[name]!.type : "string";
    if (type === "integer" || type === "number") return type;
    return type === "category" || type === "string" ? "text" : undefined;
  });
}
