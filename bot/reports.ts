import { UserError } from "../core/errors.js";
import type { Override, Report } from "../core/report/index.js";
import { downloadReport } from "./artifact.js";
import { completeCheck, findCheckRun } from "./checks.js";
import { baseConfig, type GitHub, getPull, pullsWithHead, upsertReportComment } from "./github.js";
import type { RepoRef } from "./payloads.js";
import { judge, outcomeOf, rejectArtifact, renderComment, type Verdict } from "./verdict.js";
import type { KeyedQueue } from "./work.js";

/** What a handler needs besides its payload: the client, and the bot's shared state. */
export interface Deps {
  gh: GitHub;
  repo: RepoRef;
  queue: KeyedQueue;
  /** The login the bot comments as, e.g. `modelgate[bot]`. */
  botLogin(): Promise<string>;
  now(): Date;
  /** Errors that are bugs or outages, for the operator; users get a reply instead. */
  logError(message: string): void;
}

export const pullKey = (repo: RepoRef, number: number): string => `${repo.owner}/${repo.repo}#${number}`;

type Loaded = { report: Report } | { error: UserError };

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
  await completeCheck(gh, repo, target.sha, verdict, target.runId);
  return verdict;
}

async function pullsOf(deps: Deps, listed: { number: number }[], sha: string): Promise<number[]> {
  const numbers = listed.length ? listed.map((p) => p.number) : await pullsWithHead(deps.gh, deps.repo, sha);
  return [...new Set(numbers)];
}

/** workflow_run.completed: a run that uploaded a modelgate report gets judged, once per pull request. */
export async function onWorkflowRun(
  deps: Deps,
  run: { id: number; head_sha: string; pull_requests: { number: number }[] },
): Promise<void> {
  const loaded = await load(deps, run.id);
  if (!loaded) return;
  for (const number of await pullsOf(deps, run.pull_requests, run.head_sha)) {
    deps.queue.push(pullKey(deps.repo, number), async () => {
      await publish(deps, { sha: run.head_sha, runId: run.id, number, loaded });
    });
  }
}

/** The workflow run the check was last judged from, kept in the check run's external_id. */
async function judgedRun(
  deps: Deps,
  sha: string,
): Promise<{ runId: number; loaded: Loaded; passed: boolean }> {
  const check = await findCheckRun(deps.gh, deps.repo, sha);
  const runId = Number(check?.external_id);
  if (!check || !/^[0-9]{1,15}$/.test(check.external_id ?? "")) {
    throw new UserError(`there is no modelgate verdict for ${sha.slice(0, 7)} yet; wait for the workflow`);
  }
  const loaded = await load(deps, runId);
  if (!loaded) throw new UserError(`the report of workflow run ${runId} is gone (its artifact expired?)`);
  return { runId, loaded, passed: check.conclusion === "success" };
}

/** check_run.rerequested: judge the same report again, with the base branch's gates as they are now. */
export async function rejudge(deps: Deps, sha: string, listed: { number: number }[]): Promise<void> {
  const { runId, loaded } = await judgedRun(deps, sha);
  for (const number of await pullsOf(deps, listed, sha)) await publish(deps, { sha, runId, number, loaded });
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
  const { runId, loaded, passed } = await judgedRun(deps, sha);
  if (passed) throw new UserError("the modelgate check passed; there is no regression to accept");
  const override = { by, reason, at: deps.now().toISOString() };
  for (const number of await pullsOf(deps, listed, sha)) {
    const verdict = await publish(deps, { sha, runId, number, loaded, override });
    if (outcomeOf(verdict) === "rejected") {
      throw new UserError("the report could not be used, so there is no gate result to accept");
    }
  }
}
