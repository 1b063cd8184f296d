import { z } from "zod";

const Count = z.number().int().nonnegative();

const BucketRun = z.strictObject({
  offset: z.number().int(),
  counts: z.array(z.number().nonnegative()),
});

/** A DDSketch (see sketch.ts and mapping.ts); a store lists bucket counts from bucket `offset` up. */
export const SketchData = z.strictObject({
  relativeAccuracy: z.literal(0.005).describe("quantiles are within this relative error of the true value"),
  mapping: z.literal("linear-log2").describe("how values map to buckets (mapping.ts)"),
  count: Count,
  min: z.number().nullable(),
  max: z.number().nullable(),
  zero: Count,
  positive: BucketRun,
  negative: BucketRun.describe("bucket i holds the negatives whose magnitude is in positive bucket i"),
});
export type SketchData = z.infer<typeof SketchData>;

/** An equal-width histogram beside the sketch (grid.ts): bucket i is [i * 2^exponent, (i + 1) * 2^exponent). */
export const GridData = z.strictObject({
  exponent: z.number().int().min(-1000).max(1023).describe("buckets are 2^exponent wide"),
  offset: z.number().int().describe("bucket index of counts[0]"),
  counts: z.array(z.number().nonnegative()).max(1024),
});
export type GridData = z.infer<typeof GridData>;

export const ColumnKind = z.enum(["numeric", "categorical", "boolean", "text", "empty"]);
export type ColumnKind = z.infer<typeof ColumnKind>;

export const ValueCount = z.strictObject({ value: z.string(), count: Count });
export type ValueCount = z.infer<typeof ValueCount>;

export const ColumnProfile = z.strictObject({
  kind: ColumnKind,
  count: Count.describe("rows, missing included"),
  missing: Count.describe("null or empty cells"),
  numbers: Count.describe("finite numbers, typed or numeric text"),
  nan: Count.describe("NaN, typed or as text"),
  inf: Count.describe("+-Infinity, typed or as text"),
  booleans: Count.describe("true/false, typed or as text (any case)"),
  strings: Count.describe("text that is none of the above"),
  distinct: z.strictObject({
    value: Count,
    exact: z.boolean(),
    relativeError: z.number().min(0).describe("standard error of the estimate; 0 when exact"),
  }),
  values: z.strictObject({
    top: z
      .array(ValueCount)
      .describe("most frequent first, exact counts; numbers in JavaScript's shortest form"),
    complete: z.boolean().describe("every distinct value is listed"),
    truncated: z.boolean().describe("too many distinct values to count exactly; `top` is then empty"),
  }),
  numeric: z
    .strictObject({
      min: z.number(),
      max: z.number(),
      mean: z.number(),
      std: z.number().describe("sample standard deviation (n - 1)"),
      integer: z.boolean().describe("every finite number is a whole number"),
      sketch: SketchData,
      grid: GridData.optional().describe(
        "equal-width buckets over [min, max] for offset data; absent in profiles written before it",
      ),
    })
    .optional()
    .describe("over the finite numbers; present when there is at least one"),
  text: z
    .strictObject({ minLength: Count, maxLength: Count, meanLength: z.number().nonnegative() })
    .optional()
    .describe("over cells counted in `strings`"),
});
export type ColumnProfile = z.infer<typeof ColumnProfile>;

export const DatasetProfile = z.strictObject({
  version: z.literal(1),
  rows: Count,
  ragged: Count.describe("records left out for a wrong cell count or bad syntax"),
  columns: z.record(z.string(), ColumnProfile),
});
export type DatasetProfile = z.infer<typeof DatasetProfile>;
