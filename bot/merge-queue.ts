import { UserError } from "../core/errors.js";
import { completeCheck, queueCheck } from "./checks.js";
import { baseConfig } from "./github.js";
import type { MergeGroupEvent } from "./payloads.js";
import type { Deps, Loaded } from "./reports.js";
import { judge, rejectArtifact, type Verdict } from "./verdict.js";

/**
 * The merge queue: GitHub tests each group (the base plus the queued pull requests) on a temporary
 * branch `gh-readonly-queue/<base>/pr-<number>-<sha>` and merges it only when the required checks pass
 * on the group's commit. The workflow evaluates that commit against the registry's champion as it is at
 * that moment, so a pull request queued behind another is judged against what the first one published.
 */
const QUEUE_BRANCH = /^(?:refs\/heads\/)?gh-readonly-queue\/(.{1,200})\/pr-([0-9]{1,9})-[0-9a-f]{40}$/;

/** The base branch and the last pull request of a merge group, read from its branch name. */
export function parseQueueBranch(
  branch: string | null | undefined,
): { base: string; number: number } | undefined {
  const match = QUEUE_BRANCH.exec(branch ?? "");
  return match ? { base: match[1]!, number: Number(match[2]) } : undefined;
}

/** merge_group.checks_requested: the group's commit gets a queued modelgate check at once. */
export async function onMergeGroup(deps: Deps, event: MergeGroupEvent): Promise<void> {
  await queueCheck(deps.gh, deps.repo, event.merge_group.head_sha);
}

/**
 * A completed merge-group run: judged with the base branch's gates (as they are now, never the group's
 * own modelgate.yml) and written to the check on the group's commit, which the queue waits for.
 */
export async function judgeMergeGroup(
  deps: Deps,
  run: { id: number; head_sha: string; head_branch?: string | null },
  loaded: Loaded,
): Promise<void> {
  const group = parseQueueBranch(run.head_branch);
  if (!group) {
    deps.logError(
      `merge-group run ${run.id} is on '${String(run.head_branch).slice(0, 80)}', not a merge queue branch`,
    );
    return;
  }
  let verdict: Verdict;
  if ("error" in loaded) verdict = rejectArtifact(loaded.error);
  else {
    try {
      const config = await baseConfig(deps.gh, deps.repo, `refs/heads/${group.base}`);
      verdict = judge(loaded.report, config, group.base, undefined);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      verdict = rejectArtifact(new UserError(`the base branch's ${error.message}`, error.location));
    }
  }
  await completeCheck(
    deps.gh,
    deps.repo,
    { sha: run.head_sha, runId: run.id, pulls: [group.number], owner: deps },
    verdict,
  );
}
