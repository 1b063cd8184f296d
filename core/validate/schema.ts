import { z } from "zod";

/** Stable check identifiers: annotations, reports and users' scripts match on them. */
export const CheckName = z.enum([
  "missing_column",
  "unexpected_column",
  "ragged_row",
  "duplicate_row",
  "type",
  "min",
  "max",
  "values",
  "pattern",
  "length",
  "null",
  "unique",
  "rows",
  "target_missing",
  "target_null",
  "class_imbalance",
  "type_change",
  "delimiter",
]);
export type CheckName = z.infer<typeof CheckName>;

export const Issue = z.strictObject({
  check: CheckName,
  /** Absent for checks about whole rows or the whole file. */
  column: z.string().optional(),
  /** Set when a result covers several files: the file `lines` refer to. */
  file: z.string().optional(),
  /** The first failing 1-based file lines, ascending, at most `maxErrors` of them. */
  lines: z.array(z.number().int().min(1)),
  /** Every failing row, however many `lines` lists. */
  count: z.number().int().min(0),
  message: z.string(),
});
export type Issue = z.infer<typeof Issue>;

export const ValidationResult = z.strictObject({
  ok: z.boolean().describe("no errors (warnings allowed)"),
  file: z.string(),
  rows: z.number().int().min(0).describe("well-formed data rows; ragged rows are not counted"),
  columns: z.number().int().min(0).describe("columns in the header"),
  fingerprint: z.string(),
  errors: z.array(Issue),
  warnings: z.array(Issue),
  profile: z.unknown().optional(),
});
export type ValidationResult = z.infer<typeof ValidationResult>;

export const ValidateOptions = z.strictObject({
  maxErrors: z.number().int().min(0).default(20).describe("lines listed per check"),
  target: z.string().min(1).optional(),
  id: z.string().min(1).optional().describe("row key: its values must be unique"),
  imbalanceRatio: z
    .number()
    .gt(1)
    .default(10)
    .describe("warn when the majority class has more than this many times the rows of the minority"),
  missing: z
    .array(z.string())
    .optional()
    .describe("cell texts read as missing (data.missing); default: pandas' list"),
  schemaless: z
    .boolean()
    .default(false)
    .describe(
      "no schema was given: enforce structure and type consistency only, ranges and sets are information",
    ),
});
export type ValidateOptions = z.infer<typeof ValidateOptions>;
export type ValidateOptionsInput = z.input<typeof ValidateOptions>;
