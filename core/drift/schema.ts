import { z } from "zod";
import { DriftMethodName as ConfigMethodName } from "../config/schema.js";
import { GateResult } from "../gate/schema.js";
import { MetricValues } from "../metrics/schema.js";

/** `drift.method` in modelgate.yml and `--method`: a method's name or auto. */
export const DriftMethodName = ConfigMethodName;
export type DriftMethodName = z.infer<typeof DriftMethodName>;
export const MethodName = DriftMethodName.exclude(["auto"]);
export type MethodName = z.infer<typeof MethodName>;

/** What the per-column effect size measures; see effect.ts for each one's source. */
export const EffectMeasure = z.enum(["wasserstein_iqr", "cohens_w", "cohens_h"]);
export type EffectMeasure = z.infer<typeof EffectMeasure>;

const Count = z.number().int().nonnegative();

export const SideStats = z.strictObject({
  count: Count.describe("rows, missing included"),
  missing: Count,
  nan: Count,
  inf: Count,
  mean: z.number().optional(),
  std: z.number().optional(),
});
export type SideStats = z.infer<typeof SideStats>;

/** Shares per bin (numeric: bins on the reference's quantiles) or per category, for the charts. */
export const Chart = z.strictObject({
  labels: z.array(z.string()),
  reference: z.array(z.number()),
  current: z.array(z.number()),
});
export type Chart = z.infer<typeof Chart>;

export const DriftColumn = z.strictObject({
  column: z.string(),
  kind: z.enum(["numeric", "categorical"]),
  method: MethodName,
  statistic: z.number().describe("the test statistic, or the distance for distance methods"),
  pValue: z.number().min(0).max(1).optional().describe("tests only (ks, chisquare, z)"),
  threshold: z.number().describe("tests: p-value below it; distances: statistic at or above it"),
  drift: z.boolean(),
  effectSize: z.number().describe("how large the shift is, whatever the sample size"),
  effectMeasure: EffectMeasure,
  minEffect: z
    .number()
    .optional()
    .describe("opt-in (--min-effect): a significant test only counts as drift with an effect this large"),
  source: z
    .enum(["exact", "sketch", "grid"])
    .describe("exact values, or the profiles' quantile sketches or equal-width grids (the finer of the two)"),
  reference: SideStats,
  current: SideStats,
  unseen: z
    .array(z.strictObject({ value: z.string(), count: Count }))
    .optional()
    .describe("categories in current that the reference never had (most frequent first, at most 10)"),
  chart: Chart.optional(),
});
export type DriftColumn = z.infer<typeof DriftColumn>;

export const LiveMetrics = z.strictObject({
  task: z.enum(["classification", "regression"]),
  key: z.string().describe("the labels file's column the rows were joined on"),
  labelled: Count.describe("log rows joined to a label"),
  minLabels: Count.describe("labelled rows needed before the gates are judged"),
  tooFewLabels: z.boolean().describe("fewer labelled rows than minLabels: metrics shown, gates not judged"),
  unlabelled: Count.describe("log records no label arrived for"),
  missingIds: Count.describe("labels whose id is not in the log"),
  unknownLabels: Count.describe("labels outside the model's classes (left out)"),
  metrics: MetricValues,
  baseline: MetricValues.describe("the training metrics they are held against"),
  gates: z.array(GateResult),
  degraded: z.boolean(),
});
export type LiveMetrics = z.infer<typeof LiveMetrics>;

export const DriftResult = z.strictObject({
  drift: z.boolean().describe("dataset drift: share >= threshold"),
  share: z.number().min(0).max(1).describe("share of tested columns that drifted"),
  threshold: z.number(),
  method: DriftMethodName,
  rows: z.strictObject({ reference: Count, current: Count }),
  columns: z.array(DriftColumn),
  missingColumns: z.array(z.string()).describe("in the reference, not in current"),
  newColumns: z.array(z.string()).describe("in current, not in the reference"),
  skipped: z.array(z.strictObject({ column: z.string(), reason: z.string() })),
  prediction: DriftColumn.optional().describe("model outputs vs the training target (prediction logs)"),
  performance: LiveMetrics.optional(),
});
export type DriftResult = z.infer<typeof DriftResult>;
