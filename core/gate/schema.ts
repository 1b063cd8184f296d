import { z } from "zod";
import { MetricValues } from "../metrics/schema.js";
import { PairedTest } from "../stats/schema.js";

/** A challenger-vs-champion difference for one metric, with the test its p-value comes from. */
export const MetricTest = PairedTest.extend({
  test: z
    .enum(["bootstrap", "mcnemar"])
    .describe("mcnemar: two-sided McNemar p on per-row correctness; bootstrap: one-sided paired bootstrap p"),
});
export type MetricTest = z.infer<typeof MetricTest>;

export const GateRule = z.enum(["min", "max", "maxDrop", "maxIncrease"]);
export type GateRule = z.infer<typeof GateRule>;

export const GateResult = z.strictObject({
  metric: z.string(),
  rule: GateRule,
  value: z
    .number()
    .describe(
      "what is held against the threshold: the challenger's metric (min, max), the drop champion - challenger " +
        "(maxDrop) or the increase challenger - champion (maxIncrease); 0 when there is no champion",
    ),
  threshold: z.number(),
  passed: z.boolean(),
  ci: z
    .tuple([z.number(), z.number()])
    .optional()
    .describe("confidence interval of `value` (maxDrop, maxIncrease)"),
  pValue: z.number().min(0).max(1).optional(),
  reason: z.string(),
});
export type GateResult = z.infer<typeof GateResult>;

export const Comparison = z.object({
  metrics: MetricValues,
  champion: z.object({ metrics: MetricValues }).optional(),
  /** challenger - champion per metric; empty without a champion. */
  deltas: z.record(z.string(), MetricTest),
  gates: z.array(GateResult),
  passed: z.boolean(),
});
export type Comparison = z.infer<typeof Comparison>;
