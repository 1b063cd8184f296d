import { z } from "zod";
import { parseDatetime } from "../data/cells.js";

export const ColumnType = z.enum(["integer", "number", "boolean", "category", "string", "datetime"]);
export type ColumnType = z.infer<typeof ColumnType>;

const NUMERIC: readonly ColumnType[] = ["integer", "number", "datetime"];
const TEXTUAL: readonly ColumnType[] = ["string", "category"];

/** A bound: a number, or for datetime columns an ISO-8601 date. */
const Bound = z.union([z.number(), z.string()]);

export const ColumnSpec = z
  .strictObject({
    type: ColumnType,
    description: z.string().optional(),
    min: Bound.optional().describe("smallest allowed value (integer, number; ISO date for datetime)"),
    max: Bound.optional().describe("largest allowed value (integer, number; ISO date for datetime)"),
    values: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .min(1)
      .optional()
      .describe("allowed categories"),
    pattern: z.string().optional().describe("regular expression every value must match (string, category)"),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    nullable: z.boolean().default(true).describe("missing values allowed"),
    mostly: z
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe("share of rows that must pass this column's checks; failures below it are warnings"),
    unique: z.boolean().default(false).describe("no value may appear twice"),
    unit: z
      .enum(["s", "ms"])
      .optional()
      .describe("datetime columns holding epoch numbers: seconds or milliseconds since 1970-01-01 UTC"),
  })
  .superRefine((spec, ctx) => {
    const fail = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    for (const field of ["min", "max"] as const) {
      const bound = spec[field];
      if (bound === undefined) continue;
      if (!NUMERIC.includes(spec.type))
        fail(field, `${field} applies to integer, number and datetime columns, not ${spec.type}`);
      else if (spec.type === "datetime" && Number.isNaN(parseDatetime(String(bound))))
        fail(field, `expected an ISO-8601 date such as 2024-01-31, found ${JSON.stringify(bound)}`);
      else if (spec.type !== "datetime" && typeof bound !== "number")
        fail(field, `expected a number, found string ${JSON.stringify(bound)}`);
    }
    if (spec.unit !== undefined && spec.type !== "datetime")
      fail("unit", `unit applies to datetime columns, not ${spec.type}`);
    if (spec.values && spec.type !== "category")
      fail("values", `values applies to category columns, not ${spec.type}`);
    for (const field of ["pattern", "minLength", "maxLength"] as const) {
      if (spec[field] !== undefined && !TEXTUAL.includes(spec.type))
        fail(field, `${field} applies to string and category columns, not ${spec.type}`);
    }
    if (spec.pattern !== undefined) {
      try {
        new RegExp(spec.pattern);
      } catch (error) {
        fail("pattern", `not a valid regular expression: ${(error as Error).message}`);
      }
    }
    if (spec.minLength !== undefined && spec.maxLength !== undefined && spec.minLength > spec.maxLength)
      fail("maxLength", `maxLength ${spec.maxLength} is below minLength ${spec.minLength}`);
    if (typeof spec.min === "number" && typeof spec.max === "number" && spec.min > spec.max)
      fail("max", `max ${spec.max} is below min ${spec.min}`);
  });
export type ColumnSpec = z.infer<typeof ColumnSpec>;
export type ColumnSpecInput = z.input<typeof ColumnSpec>;

export const RowsSpec = z.strictObject({
  min: z.number().int().min(0).optional().describe("fewest data rows allowed"),
  max: z.number().int().min(0).optional().describe("most data rows allowed"),
  duplicates: z
    .enum(["error", "warning", "ignore"])
    .default("warning")
    .describe("what a whole-row duplicate is; small categorical data sets often repeat rows legitimately"),
});
export type RowsSpec = z.infer<typeof RowsSpec>;

export const DataSchema = z.strictObject({
  rows: RowsSpec.prefault({}),
  columns: z.record(z.string().min(1), ColumnSpec).describe("expected columns by name"),
  additionalColumns: z.boolean().default(false).describe("allow columns the schema does not list"),
});
export type DataSchema = z.infer<typeof DataSchema>;
export type DataSchemaInput = z.input<typeof DataSchema>;
