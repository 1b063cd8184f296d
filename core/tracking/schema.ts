import { z } from "zod";

export const EpochRecord = z.object({
  epoch: z.number().int().nonnegative(),
  loss: z.number(),
  valLoss: z.number().optional(),
});
export type EpochRecord = z.infer<typeof EpochRecord>;

const Fingerprint = z.object({
  file: z.string(),
  rows: z.number().int().nonnegative(),
  fingerprint: z.string(),
});

/** One tracked run: written by train, evaluate and each tuning trial; read by `runs list|show|compare`. */
export const RunRecord = z.object({
  version: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9_-]+$/),
  name: z.string(),
  kind: z.enum(["train", "evaluate", "trial"]),
  status: z.enum(["running", "finished", "failed"]),
  params: z.record(z.string(), z.unknown()),
  command: z
    .array(z.string())
    .optional()
    .describe("the training program's argv, placeholders filled (model.command)"),
  history: z.array(EpochRecord).default([]),
  metrics: z.record(z.string(), z.number()).default({}),
  data: z.object({ train: Fingerprint.optional(), test: Fingerprint.optional() }).default({}),
  git: z.object({ commit: z.string(), dirty: z.boolean() }).optional(),
  backend: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  parent: z.string().optional().describe("the sweep or training run this one belongs to"),
  model: z.string().optional().describe("folder of the model the run wrote or evaluated"),
  tags: z.record(z.string(), z.string()).default({}),
});
export type RunRecord = z.infer<typeof RunRecord>;
