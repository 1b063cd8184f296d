import { z } from "zod";

export const PairedTest = z.strictObject({
  /** challenger - champion on all rows. */
  delta: z.number(),
  /** Percentile interval of the delta over the resamples. */
  ci: z.tuple([z.number(), z.number()]),
  /** One-sided: small when the challenger is worse in the metric's direction. */
  pValue: z.number().min(0).max(1),
});
export type PairedTest = z.infer<typeof PairedTest>;

export const McNemarResult = z.strictObject({
  b: z.number().int().min(0),
  c: z.number().int().min(0),
  statistic: z.number().min(0),
  pValue: z.number().min(0).max(1),
  method: z.enum(["exact", "chi-squared"]),
});
export type McNemarResult = z.infer<typeof McNemarResult>;
