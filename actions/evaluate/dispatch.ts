import { z } from "zod";
import { UserError } from "../../core/errors.js";
import { parseAt } from "../../core/parse.js";
import type { Report } from "../../core/report/index.js";
import { type RunnerEnv, readEventFile } from "../runtime.js";

const DispatchEvent = z.object({
  inputs: z
    .object({
      pull_request: z
        .string()
        .regex(/^[1-9][0-9]{0,8}$/, "expected a pull request number")
        .optional(),
      sha: z
        .string()
        .regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA")
        .optional(),
      command: z
        .string()
        .regex(/^[a-z-]{1,40}$/, "expected a command name")
        .optional(),
    })
    .nullish(),
});

/**
 * The pull request a chat-ops dispatch came from ({number, sha, command}), for the report: the bot
 * reports a dispatched run (which runs on the base branch) to that pull request while `sha` is its head.
 * Undefined for any other event. The checked-out commit must be the pinned one.
 */
export async function dispatchedPullRequest(
  env: RunnerEnv,
  commit: string | undefined,
): Promise<Report["pullRequest"]> {
  if (env.GITHUB_EVENT_NAME !== "workflow_dispatch" || !env.GITHUB_EVENT_PATH) return undefined;
  const event = await readEventFile(env.GITHUB_EVENT_PATH);
  const { inputs } = parseAt(DispatchEvent, event, {
    what: "the dispatch event",
    file: env.GITHUB_EVENT_PATH,
  });
  if (!inputs?.pull_request || !inputs.sha) return undefined;
  if (commit && commit !== inputs.sha) {
    throw new UserError(
      `the workspace holds ${commit.slice(0, 7)}, but the dispatch pinned ${inputs.sha.slice(0, 7)}: check out inputs.sha`,
      { field: "inputs.sha" },
    );
  }
  return { number: Number(inputs.pull_request), sha: inputs.sha, command: inputs.command ?? "retrain" };
}
