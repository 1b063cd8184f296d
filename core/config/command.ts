import { z } from "zod";

/** A parameter name: also an environment variable's tail (MODELGATE_PARAM_<NAME>), so kept plain. */
export const ParamName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "letters, digits and '_', at most 64");

const bounded = <T extends { default: number; min?: number | undefined; max?: number | undefined }>(p: T) =>
  (p.min === undefined || p.default >= p.min) && (p.max === undefined || p.default <= p.max);

/**
 * A parameter the training program takes. Every one is typed and bounded, because `/modelgate retrain
 * key=value` may set it from a pull-request comment: free text is not allowed, only a list of values.
 */
export const ParamSpec = z.discriminatedUnion("type", [
  z
    .strictObject({
      type: z.literal("number"),
      default: z.number(),
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .refine(bounded, "default must lie within min and max"),
  z
    .strictObject({
      type: z.literal("integer"),
      default: z.number().int(),
      min: z.number().int().optional(),
      max: z.number().int().optional(),
    })
    .refine(bounded, "default must lie within min and max"),
  z.strictObject({ type: z.literal("boolean"), default: z.boolean() }),
  z
    .strictObject({
      type: z.literal("string"),
      values: z.array(z.string().min(1).max(200)).min(1).max(100),
      default: z.string(),
    })
    .refine((p) => p.values.includes(p.default), "default must be one of values"),
]);
export type ParamSpec = z.infer<typeof ParamSpec>;

export const ParamSpecs = z.record(ParamName, ParamSpec).refine((specs) => Object.keys(specs).length <= 50, {
  message: "at most 50 params",
});
export type ParamSpecs = z.infer<typeof ParamSpecs>;

export type ParamValue = number | boolean | string;

/** The placeholders an argument of model.command may be, whole: `{train}`, `{param.lr}`... */
export const PLACEHOLDERS = ["train", "test", "out", "target", "params"] as const;

export const Command = z
  .array(z.string().max(10_000))
  .min(1)
  .max(1000)
  .refine((argv) => argv[0]!.length > 0, "the program (first element) may not be empty");
