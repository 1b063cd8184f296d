import { z } from "zod";

/**
 * Request bodies of the three protocols. The body size is capped before JSON.parse, so these only
 * bound counts; cell values are checked per feature by core/model's transformRecords.
 */
export const MAX_ROWS = 1_000_000;
const Key = z.string().min(1).max(1000);
// A check, not a copy: z.record rebuilt every row (measured 100 us per 100 rows); values are checked later.
const Row = z.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "expected an object of feature values",
);
const Column = z.array(z.unknown()).max(MAX_ROWS);
const Columns = z.record(z.string(), Column);
const Parameters = z.record(z.string(), z.unknown()).optional();

/** TensorFlow Serving's REST predict API: rows ("instances") or columns ("inputs"). */
export const V1PredictRequest = z.strictObject({
  signature_name: z.string().max(1000).optional(),
  instances: z.array(Row).min(1).max(MAX_ROWS).optional(),
  inputs: Columns.optional(),
});
export type V1PredictRequest = z.infer<typeof V1PredictRequest>;

// The protocol's tensor datatypes, by family: every integer width signed and unsigned.
const V2_INTEGERS = ["UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64"] as const;
export const V2Datatype = z.enum(["BOOL", ...V2_INTEGERS, "FP16", "FP32", "FP64", "BYTES"]);
export type V2Datatype = z.infer<typeof V2Datatype>;

/** Open Inference Protocol v2: one tensor per feature column. */
export const V2InferRequest = z.strictObject({
  id: z.string().max(1000).optional(),
  parameters: Parameters,
  inputs: z
    .array(
      z.strictObject({
        name: Key,
        shape: z.array(z.number().int().nonnegative()).min(1).max(2),
        datatype: V2Datatype,
        parameters: Parameters,
        data: Column,
      }),
    )
    .min(1)
    .max(100_000),
  outputs: z
    .array(z.strictObject({ name: Key, parameters: Parameters }))
    .max(10)
    .optional(),
});
export type V2InferRequest = z.infer<typeof V2InferRequest>;

/** MLflow's scoring server: exactly one of the four input fields. */
export const MlflowRequest = z.strictObject({
  dataframe_split: z
    .strictObject({
      columns: z.array(Key).max(100_000),
      data: z.array(z.array(z.unknown()).max(100_000)).max(MAX_ROWS),
      index: z.array(z.unknown()).optional(),
    })
    .optional(),
  dataframe_records: z.array(Row).max(MAX_ROWS).optional(),
  instances: z.array(Row).max(MAX_ROWS).optional(),
  inputs: z.union([z.array(Row).max(MAX_ROWS), Columns]).optional(),
  params: Parameters,
});
export type MlflowRequest = z.infer<typeof MlflowRequest>;

/** A URL path segment: the model name appears in every route. */
export const ModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, "letters, digits, '.', '_' or '-' (at most 200)");
