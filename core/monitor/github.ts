import type { z } from "zod";
import { UserError } from "../errors.js";
import { callGitHub, statusOf } from "../github.js";

export { statusOf } from "../github.js";

/** One API call whose answer is parsed; HTTP failures become UserErrors that say what was being done. */
export function call<T>(
  schema: z.ZodType<T>,
  what: string,
  send: () => Promise<{ data: unknown }>,
): Promise<T> {
  return callGitHub(schema, what, send, apiError);
}

function apiError(error: unknown, what: string): UserError {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    status === 401 || status === 403
      ? " (the token needs issues: write, pull-requests: write and contents: write)"
      : status === 404
        ? " (repository not found, or the token cannot see it)"
        : "";
  return new UserError(
    `GitHub refused ${what}: ${status ?? ""} ${message}${hint}`.replace(/\s+/g, " "),
    {},
    1,
  );
}
