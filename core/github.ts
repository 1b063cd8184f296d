import type { Octokit } from "octokit";
import type { z } from "zod";
import { parseAt } from "./parse.js";

/** The slice of an Octokit that core uses; tests hand in a real Octokit pointed at a fake API. */
export type GitHubClient = Pick<Octokit, "request">;

/** The HTTP status of a failed request, when it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * One GitHub API call whose answer is parsed, never cast. A failed request becomes what `refused` makes of it
 * (each caller knows what its token needs); an answer of another shape is a UserError naming the field.
 */
export async function callGitHub<T>(
  schema: z.ZodType<T>,
  what: string,
  send: () => Promise<{ data: unknown }>,
  refused: (error: unknown, what: string) => unknown,
): Promise<T> {
  let data: unknown;
  try {
    data = (await send()).data;
  } catch (error) {
    throw refused(error, what);
  }
  return parseAt(schema, data, { what: `unexpected answer from GitHub to ${what}` });
}
