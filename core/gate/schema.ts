import { z } from "zod";
import { MetricValues } from "../metrics/schema.js";
import { PairedTest } from "../stats/schema.js";

/** A challenger-vs-champion difference for one metric, with the test its evidence comes from. */
export const MetricTest = PairedTest.extend({
  test: z
    .enum(["score", "bootstrap"])
    .describe(
      "score: Tango's paired score interval (accuracy); bootstrap: the metric's own paired bootstrap",
    ),
});
export type MetricTest = z.infer<typeof MetricTest>;

export const GateRule = z.enum(["min", "max", "maxDrop", "maxIncrease"]);
export type GateRule = z.infer<typeof GateRule>;

export const GateOutcome = z
  .enum(["pass", "fail", "inconclusive"])
  .describe(
    "maxDrop/maxIncrease: pass when the upper bound of the degradation is within the margin; fail when " +
      "the observed degradation is beyond it and the lower bound above 0; inconclusive otherwise",
  );
export type GateOutcome = z.infer<typeof GateOutcome>;

export const Verdict = z.enum(["passed", "failed", "inconclusive"]);
export type Verdict = z.infer<typeof Verdict>;

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
  outcome: GateOutcome,
  passed: z.boolean().describe("the outcome after onInconclusive"),
  ci: z
    .tuple([z.number(), z.number()])
    .optional()
    .describe("one-sided lower and upper confidence bounds of `value` at `significance`"),
  certified: z
    .number()
    .optional()
    .describe("the smallest margin this test set certifies: any threshold at or above it passes"),
  rowsNeeded: z
    .number()
    .int()
    .nullable()
    .optional()
    .describe(
      "inconclusive: about how many test rows would decide it (80% power); null: more rows cannot pass",
    ),
  reason: z.string(),
});
export type GateResult = z.infer<typeof GateResult>;

export const Comparison = z.object({
  metrics: MetricValues,
  champion: z.object({ metrics: MetricValues }).optional(),
  /** challenger - champion per metric; empty without a champion. */
  deltas: z.record(z.string(), MetricTest),
  gates: z.array(GateResult),
  outcome: Verdict,
  passed: z.boolean(),
});
export type Comparison = z.infer<typeof Comparison>;
