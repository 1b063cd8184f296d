import type { z } from "zod";
import { UserError } from "../errors.js";

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

/** One API call whose answer is parsed; HTTP failures become UserErrors that say what was being done. */
export async function call<T>(
  schema: z.ZodType<T>,
  what: string,
  send: () => Promise<{ data: unknown }>,
): Promise<T> {
  let data: unknown;
  try {
    data = (await send()).data;
  } catch (error) {
    throw apiError(error, what);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new UserError(
      `unexpected answer from GitHub to ${what}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

export function apiError(error: unknown, what: string): UserError {
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
