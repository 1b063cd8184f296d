import { UserError } from "../core/errors.js";
import type { Override, Report } from "../core/report/index.js";
import { downloadReport } from "./artifact.js";
import { completeCheck, findCheckRun, type Owner } from "./checks.js";
import {
  baseConfig,
  comment,
  type GitHub,
  getPull,
  type Head,
  pullsWithHead,
  upsertReportComment,
} from "./github.js";
import { judgeMergeGroup } from "./merge-queue.js";
import type { RepoRef } from "./payloads.js";
import { judge, outcomeOf, rejectArtifact, renderComment, type Verdict } from "./verdict.js";
import type { KeyedQueue } from "./work.js";

/** What a handler needs besides its payload: the client, and the bot's shared state. */
export interface Deps extends Owner {
  gh: GitHub;
  repo: RepoRef;
  queue: KeyedQueue;
  /** The login the bot comments as, e.g. `modelgate[bot]`. */
  botLogin(): Promise<string>;
  now(): Date;
  /** Errors that are bugs or outages, for the operator; users get a reply instead. */
  logError(message: string): void;
  logWarn(message: string): void;
}

export const pullKey = (repo: RepoRef, number: number): string => `${repo.owner}/${repo.repo}#${number}`;

export type Loaded = { report: Report } | { error: UserError };

/** A refused artifact is a verdict (the check fails, saying why); an API failure is not and propagates. */
async function load(deps: Deps, runId: number): Promise<Loaded | undefined> {
  try {
    const report = await downloadReport(deps.gh, deps.repo, runId);
    return report ? { report } : undefined;
  } catch (error) {
    if (error instanceof UserError) return { error };
    throw error;
  }
}

interface Target {
  sha: string;
  runId: number;
  number: number;
  /** Every pull request judged from this report, kept in the check run. */
  pulls: number[];
  loaded: Loaded;
  override?: Override;
}

/** Judges one report for one pull request, then updates the sticky comment and the check run. */
async function publish(deps: Deps, target: Target): Promise<Verdict> {
  const { gh, repo } = deps;
  const pull = await getPull(gh, repo, target.number);
  let verdict: Verdict;
  if ("error" in target.loaded) verdict = rejectArtifact(target.loaded.error);
  else {
    try {
      const config = await baseConfig(gh, repo, pull.base.sha);
      verdict = judge(target.loaded.report, config, pull.base.sha, target.override);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      verdict = rejectArtifact(new UserError(`the base branch's ${error.message}`, error.location));
    }
  }
  // A report for a commit the pull request has moved past must not overwrite the newer one's comment.
  if (pull.head.sha === target.sha) {
    await upsertReportComment(
      gh,
      repo,
      target.number,
      renderComment(verdict, target.sha),
      await deps.botLogin(),
    );
  }
  await completeCheck(gh, repo, { ...target, owner: deps }, verdict);
  return verdict;
}

async function pullsOf(deps: Deps, listed: { number: number }[], head: Head): Promise<number[]> {
  const numbers = listed.length ? listed.map((p) => p.number) : await pullsWithHead(deps.gh, deps.repo, head);
  return [...new Set(numbers)];
}

/**
 * workflow_run.completed: a run that uploaded a modelgate report gets judged, once per pull request.
 * Resolves only when every pull request's verdict is out, so the delivery counts as done only then.
 */
export async function onWorkflowRun(
  deps: Deps,
  run: {
    id: number;
    head_sha: string;
    pull_requests: { number: number }[];
    head?: Head["fork"];
    event?: string;
    head_branch?: string | null;
  },
): Promise<void> {
  const loaded = await load(deps, run.id);
  if (!loaded) return;
  if (run.event === "merge_group") return judgeMergeGroup(deps, run, loaded);
  if (run.event === "workflow_dispatch") return reportDispatched(deps, run.id, loaded);
  const pulls = await pullsOf(deps, run.pull_requests, { sha: run.head_sha, fork: run.head });
  const done = await Promise.all(
    pulls.map((number) =>
      deps.queue.push(pullKey(deps.repo, number), async () => {
        await publish(deps, { sha: run.head_sha, runId: run.id, number, pulls, loaded });
      }),
    ),
  );
  if (done.includes(false))
    throw new Error(`workflow run ${run.id}: a pull request's verdict was not published`);
}

/**
 * A run the bot dispatched for a chat-ops command runs on the base branch: its head_sha is the base's
 * and it lists no pull requests. Its report names the pull request and the commit the command pinned;
 * it goes to that pull request only while that commit is still its head.
 */
async function reportDispatched(deps: Deps, runId: number, loaded: Loaded): Promise<void> {
  const claim = "report" in loaded ? loaded.report.pullRequest : undefined;
  if (!claim) {
    deps.logError(
      `workflow run ${runId} was dispatched without a pull request in its report; nothing to update`,
    );
    return;
  }
  const commit = "report" in loaded ? loaded.report.run?.commit : undefined;
  if (commit && commit !== claim.sha) {
    deps.logError(
      `workflow run ${runId} claims ${claim.sha.slice(0, 7)} but evaluated ${commit.slice(0, 7)}; ignored`,
    );
    return;
  }
  const done = await deps.queue.push(pullKey(deps.repo, claim.number), async () => {
    const pull = await getPull(deps.gh, deps.repo, claim.number);
    if (pull.head.sha !== claim.sha) {
      await comment(
        deps.gh,
        deps.repo,
        claim.number,
        `The \`/modelgate ${claim.command}\` run ${runId} finished for ${claim.sha.slice(0, 7)}, but this pull request's head is now ${pull.head.sha.slice(0, 7)}: that result is outdated, so the report and the check were left as they were.`,
      );
      return;
    }
    await publish(deps, { sha: claim.sha, runId, number: claim.number, pulls: [claim.number], loaded });
  });
  if (!done) throw new Error(`workflow run ${runId}: the pull request's verdict was not published`);
}

/** The workflow run our check run was last judged from (its mark), and a maintainer's standing accept. */
async function judgedRun(deps: Deps, sha: string): Promise<Judged> {
  const check = await findCheckRun(deps.gh, deps.repo, sha, deps);
  const runId = check?.runId;
  if (!check || runId === undefined) {
    throw new UserError(`there is no modelgate verdict for ${sha.slice(0, 7)} yet; wait for the workflow`);
  }
  const loaded = await load(deps, runId);
  if (!loaded) throw new UserError(`the report of workflow run ${runId} is gone (its artifact expired?)`);
  return {
    runId,
    loaded,
    passed: check.conclusion === "success",
    pulls: check.state?.pulls ?? [],
    accept: check.state?.accept,
  };
}

interface Judged {
  runId: number;
  loaded: Loaded;
  passed: boolean;
  /** The pull requests the check was judged for (a fork's are listed in no check_run payload). */
  pulls: number[];
  accept: Override | undefined;
}

/**
 * check_run.rerequested: judge the same report again, with the base branch's gates as they are now. A
 * maintainer's accept of that report stands: a Re-run is not a way to undo it.
 */
export async function rejudge(deps: Deps, sha: string, listed: { number: number }[]): Promise<void> {
  const { runId, loaded, pulls: judgedFor, accept } = await judgedRun(deps, sha);
  const pulls = listed.length ? await pullsOf(deps, listed, { sha }) : judgedFor;
  for (const number of pulls) await publish(deps, { sha, runId, number, pulls, loaded, override: accept });
}

/**
 * A maintainer accepts the failed gates of a commit: the check turns green and the comment names who
 * and why. The caller has checked the permission. Throws a UserError when there is nothing to accept.
 */
export async function acceptRegression(
  deps: Deps,
  sha: string,
  listed: { number: number }[],
  by: string,
  reason: string,
): Promise<void> {
  const { runId, loaded, passed, pulls: judgedFor } = await judgedRun(deps, sha);
  if (passed) throw new UserError("the modelgate check passed; there is no regression to accept");
  const override = { by, reason, at: deps.now().toISOString() };
  const pulls = listed.length ? await pullsOf(deps, listed, { sha }) : judgedFor;
  for (const number of pulls) {
    const verdict = await publish(deps, { sha, runId, number, pulls, loaded, override });
    if (outcomeOf(verdict) === "rejected") {
      throw new UserError("the report could not be used, so there is no gate result to accept");
    }
  }
}
