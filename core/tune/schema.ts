import { z } from "zod";

/** A trial's overrides of `model:` keys; values are checked against ModelConfig before training. */
export const Params = z.record(z.string(), z.unknown());
export type Params = z.infer<typeof Params>;

export const Direction = z.enum(["max", "min"]);
export type Direction = z.infer<typeof Direction>;

const Index = z.number().int().nonnegative().describe("the trial's place in the plan, from 0");

export const TrialSuccess = z.strictObject({
  index: Index,
  params: Params,
  metrics: z.record(z.string(), z.number()).describe("scored on the validation share of the training rows"),
  run: z.string().describe("the trial's run id in the run store"),
  epochs: z.number().int().nonnegative().optional().describe("epochs trained for these metrics"),
  pruned: z
    .literal(true)
    .optional()
    .describe("successive halving stopped it after a shorter training: not a candidate for best"),
});
export const TrialFailure = z.strictObject({
  index: Index,
  params: Params,
  error: z.string(),
});
export const Trial = z.union([TrialSuccess, TrialFailure]);
export type TrialSuccess = z.infer<typeof TrialSuccess>;
export type TrialFailure = z.infer<typeof TrialFailure>;
export type Trial = z.infer<typeof Trial>;

export const Best = z.strictObject({
  index: Index,
  params: Params,
  metrics: z.record(z.string(), z.number()),
  run: z.string(),
});
export type Best = z.infer<typeof Best>;

const Epochs = z
  .number()
  .int()
  .nonnegative()
  .optional()
  .describe("epochs trained by all trials, over every successive-halving rung");

/** The best params retrained on all training rows and scored once on the test rows. */
export const TestScore = z.strictObject({
  run: z.string(),
  metrics: z.record(z.string(), z.number()),
});
export type TestScore = z.infer<typeof TestScore>;

/** What `modelgate tune --json` prints (the contract's `{trials, best}`, plus what the rest needs). */
export const TuneResult = z.strictObject({
  sweep: z.string().describe("parent id of every trial run"),
  metric: z.string(),
  direction: Direction,
  trials: z.array(Trial),
  best: Best.nullable().describe("null when no trial succeeded"),
  epochs: Epochs,
  test: TestScore.optional().describe("absent for one shard of a sweep, or when no trial succeeded"),
});
export type TuneResult = z.infer<typeof TuneResult>;

/** One shard's output (`tune --shard I/N --out DIR`): read back by `tune merge`, so untrusted. */
export const ShardFile = z.strictObject({
  version: z.literal(1),
  sweep: z.string().min(1),
  shard: z.strictObject({ index: z.number().int().positive(), count: z.number().int().positive() }),
  plan: z.strictObject({
    trials: z.number().int().nonnegative(),
    hash: z.string().min(1).describe("sha256 of the planned params: shards of one sweep agree on it"),
  }),
  metric: z.string().min(1),
  direction: Direction,
  trials: z.array(Trial),
  epochs: Epochs,
});
export type ShardFile = z.infer<typeof ShardFile>;

export interface Shard {
  /** 1-based, like jest's and playwright's --shard. */
  index: number;
  count: number;
}
