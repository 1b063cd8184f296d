import { z } from "zod";

/** Bootstrap quantiles are kept at probabilities 0, 1/400, ..., 1: enough to read any level to 0.25%. */
export const QUANTILE_STEPS = 400;

const Count = z.number().int().min(0);

/**
 * Accuracy's raw evidence: the rows only one of the two models got right. Tango's score interval for
 * the paired difference of two proportions is computed from these three counts at any level.
 */
export const PairedCounts = z.strictObject({
  kind: z.literal("paired"),
  n: z.number().int().min(1).describe("rows both models were scored on"),
  challengerOnly: Count.describe("rows only the challenger got right"),
  championOnly: Count.describe("rows only the champion got right"),
});
export type PairedCounts = z.infer<typeof PairedCounts>;

/** Every other metric's raw evidence: its own paired bootstrap, as quantiles of challenger - champion. */
export const BootstrapQuantiles = z.strictObject({
  kind: z.literal("bootstrap"),
  rows: z.number().int().min(1),
  resamples: z.number().int().min(1),
  seed: z.number().int(),
  discordant: Count.describe("rows where the two models' outputs differ; Student's t df = discordant - 1"),
  quantiles: z
    .array(z.number())
    .length(QUANTILE_STEPS + 1)
    .describe(`challenger - champion at probabilities i/${QUANTILE_STEPS}, ascending`),
});
export type BootstrapQuantiles = z.infer<typeof BootstrapQuantiles>;

export const Evidence = z
  .discriminatedUnion("kind", [PairedCounts, BootstrapQuantiles])
  .superRefine((evidence, ctx) => {
    if (evidence.kind === "paired") {
      if (evidence.challengerOnly + evidence.championOnly > evidence.n) {
        ctx.addIssue({ code: "custom", message: "more discordant rows than rows" });
      }
      return;
    }
    if (evidence.discordant > evidence.rows) {
      ctx.addIssue({ code: "custom", path: ["discordant"], message: "more discordant rows than rows" });
    }
    const bad = evidence.quantiles.findIndex((q, i) => i > 0 && q < evidence.quantiles[i - 1]!);
    if (bad > 0) ctx.addIssue({ code: "custom", path: ["quantiles", bad], message: "quantiles must ascend" });
  });
export type Evidence = z.infer<typeof Evidence>;

export const PairedTest = z.strictObject({
  /** challenger - champion on all rows. */
  delta: z.number(),
  /** What any level's one-sided bound is recomputed from. */
  evidence: Evidence,
});
export type PairedTest = z.infer<typeof PairedTest>;
