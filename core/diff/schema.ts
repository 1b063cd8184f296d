import { z } from "zod";
import { ColumnKind, ValueCount } from "../profile/schema.js";

const Count = z.number().int().nonnegative();
const OldNew = z.strictObject({ old: z.number(), new: z.number() });
const Share = z.number().min(0).max(1);

export const RowChange = z.strictObject({
  id: z.string(),
  columns: z.array(z.string()).describe("columns whose cells differ"),
});
export type RowChange = z.infer<typeof RowChange>;

/** Rows matched by the id column. */
export const RowsById = z.strictObject({
  id: z.string().describe("the id column"),
  added: Count,
  removed: Count,
  changed: Count.describe("same id, some cell of a column both sides have differs"),
  unchanged: Count,
  changedColumns: z.record(z.string(), Count).describe("changed rows per column"),
  missingIds: z.strictObject({ old: Count, new: Count }).describe("rows without an id, left out"),
  duplicates: z
    .strictObject({ old: Count, new: Count, examples: z.array(z.string()) })
    .describe("repeated ids; the first row with an id is the one compared"),
  examples: z.strictObject({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(RowChange),
  }),
});
export type RowsById = z.infer<typeof RowsById>;

/** Rows compared as a multiset of whole rows (over the columns both sides have). */
export const RowsByContent = z.strictObject({ added: Count, removed: Count, unchanged: Count });
export type RowsByContent = z.infer<typeof RowsByContent>;

export const NumericShift = z.strictObject({
  mean: OldNew,
  std: OldNew,
  quantiles: z.array(z.strictObject({ q: z.number(), old: z.number(), new: z.number() })),
  wasserstein: z.number().nonnegative().describe("earth mover's distance, from the quantile sketches"),
  normalizedWasserstein: z
    .number()
    .nonnegative()
    .nullable()
    .describe("wasserstein / old std; null when the old std is 0 and the distance is not"),
});
export type NumericShift = z.infer<typeof NumericShift>;

export const ShareChange = z.strictObject({ value: z.string(), old: Share, new: Share, change: z.number() });
export type ShareChange = z.infer<typeof ShareChange>;

export const CategoryShift = z.strictObject({
  truncated: z.boolean().describe("a side has too many distinct values to compare categories"),
  added: z.array(ValueCount).describe("values only the new data has, most frequent first"),
  removed: z.array(ValueCount).describe("values only the old data has, most frequent first"),
  shareChanges: z.array(ShareChange).describe("largest changes in share of non-missing cells first"),
});
export type CategoryShift = z.infer<typeof CategoryShift>;

const OldNewText = z.strictObject({ old: z.string(), new: z.string() });

/** A column of ISO 8601 dates, compared as instants. */
export const DateShift = z.strictObject({
  min: OldNewText,
  max: OldNewText,
  quantiles: z.array(z.strictObject({ q: z.number(), old: z.string(), new: z.string() })),
  meanShiftDays: z.number().describe("new mean minus old mean, in days"),
  unparsed: z.strictObject({ old: Count, new: Count }).describe("cells that were not dates, left out"),
});
export type DateShift = z.infer<typeof DateShift>;

export const ColumnChange = z.strictObject({
  column: z.string(),
  kind: z.strictObject({ old: ColumnKind, new: ColumnKind }),
  missing: z.strictObject({ old: Share, new: Share }).describe("share of missing cells"),
  numeric: NumericShift.optional(),
  categorical: CategoryShift.optional(),
  datetime: DateShift.optional().describe("ISO 8601 date columns, compared as instants (UTC)"),
});
export type ColumnChange = z.infer<typeof ColumnChange>;

export const DataDiff = z.strictObject({
  rows: z.strictObject({ old: Count, new: Count }),
  columns: z.strictObject({ added: z.array(z.string()), removed: z.array(z.string()) }),
  byId: RowsById.optional().describe("present when an id column was given"),
  byContent: RowsByContent.optional().describe("present without an id column"),
  distributions: z.array(ColumnChange).describe("every column both sides have, in the old order"),
});
export type DataDiff = z.infer<typeof DataDiff>;
