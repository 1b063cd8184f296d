import { z } from "zod";

/**
 * The arguments a chat-ops command carries into the workflow it dispatches (`/modelgate retrain
 * epochs=30`, `/modelgate tune trials=20`): the bot parses the comment with these schemas, and the train
 * and tune actions parse their `params` and `trials` inputs with the same ones, so the keys and bounds are
 * one contract whichever door reads them. Untrusted: typed in a pull-request comment.
 */

// A comment gives numbers as text, the train action's `params` JSON gives them as numbers: both are read.
const NUMBER = /^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e-?[0-9]{1,2})?$/i;
const asNumber = (inner: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === "string" && NUMBER.test(v) ? Number(v) : v), inner);
const whole = (min: number, max: number) =>
  asNumber(
    z
      .number({ error: "expected a number" })
      .int("expected a whole number")
      .min(min, `at least ${min}`)
      .max(max, `at most ${max}`),
  );

export const RETRAIN_LIMITS = { epochs: 1000, layers: 8, units: 1024, batchSize: 65_536 } as const;

const Layers = z
  .array(
    z
      .number({ error: "expected layer sizes like 64,32" })
      .int("expected whole layer sizes")
      .min(1, "at least 1 unit")
      .max(RETRAIN_LIMITS.units, `at most ${RETRAIN_LIMITS.units} units a layer`),
    { error: "expected layer sizes like 64,32" },
  )
  .min(1, "at least one layer")
  .max(RETRAIN_LIMITS.layers, `at most ${RETRAIN_LIMITS.layers} layers`);

/**
 * The training settings a comment (and the train action's `params`) may change: anything else would be
 * a way into the workflow, and the bounds keep one comment from booking a runner for days.
 */
export const RetrainParams = z.strictObject({
  epochs: whole(1, RETRAIN_LIMITS.epochs).optional(),
  learningRate: asNumber(
    z.number({ error: "expected a number" }).gt(0, "more than 0").max(1, "at most 1"),
  ).optional(),
  batchSize: whole(1, RETRAIN_LIMITS.batchSize).optional(),
  hidden: z
    .preprocess(
      (v) =>
        typeof v === "string" && /^[0-9]{1,6}(?:,[0-9]{1,6}){0,15}$/.test(v) ? v.split(",").map(Number) : v,
      Layers,
    )
    .optional(),
  dropout: asNumber(
    z.number({ error: "expected a number" }).min(0, "at least 0").lt(1, "less than 1"),
  ).optional(),
  seed: whole(0, 2_147_483_647).optional(),
});
export type RetrainParams = z.output<typeof RetrainParams>;

export const TUNE_LIMITS = { trials: 1000 } as const;
export const TuneArgs = z.strictObject({ trials: whole(1, TUNE_LIMITS.trials).optional() });

/** The first problem, naming the field: "epochs: at most 1000". */
export function zodProblem(error: z.ZodError): string {
  const first = error.issues[0]!;
  if (first.code === "unrecognized_keys") return `unknown setting ${first.keys.join(", ")}`;
  const field = first.path.join(".");
  const message = first.message;
  return field ? `${field}: ${message}` : message;
}
