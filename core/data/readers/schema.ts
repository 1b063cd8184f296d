import { z } from "zod";
import { UserError } from "../../errors.js";
import type { ReadOptions as ReadOptionsType } from "../types.js";

/** Read options come from config and flags; checked here so a bad value fails with its field named. */
export const ReadOptions = z.object({
  format: z.enum(["csv", "tsv", "jsonl", "json", "parquet"]).optional(),
  delimiter: z
    .string()
    .length(1, "expected one character")
    .refine(
      (d) => d !== '"' && d !== "\n" && d !== "\r",
      "expected a character other than a quote or a newline",
    )
    .optional(),
  displayName: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  maxDownloadBytes: z.number().int().positive().optional(),
  connectTimeoutMs: z.number().int().positive().optional(),
  idleTimeoutMs: z.number().int().positive().optional(),
  fetch: z.custom<typeof fetch>((value) => typeof value === "function", "expected a function").optional(),
});

export function parseReadOptions(options: ReadOptionsType): ReadOptionsType {
  const result = ReadOptions.safeParse(options);
  if (result.success) return options;
  const issue = result.error.issues[0]!;
  throw new UserError(
    `${issue.message}, found ${JSON.stringify(options[issue.path[0] as keyof ReadOptionsType])}`,
    {
      field: issue.path.join("."),
    },
  );
}
