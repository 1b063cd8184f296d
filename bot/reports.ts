import { z } from "zod";
import type { Config } from "../core/config/index.js";
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
  type Pull,
  pullsWithHead,
  upsertReportComment,
} from "./github.js";
import { judgeMergeGroup } from "./merge-queue.js";
import type { RepoRef } from "./payloads.js";
import {
  checkBaseline,
  protectedChanges,
  type RunFacts,
  registryChampion,
  standing as runStanding,
  unverified,
} from "./trust.js";
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
  /** Decisions worth a line in the operator's log (a run ignored, and why). */
  log(message: string): void;
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
  run: RunFacts;
  number: number;
  /** Every pull request judged from this report, kept in the check run. */
  pulls: number[];
  loaded: Loaded;
  override?: Override;
}

/** The trust model's verdict on one report for one pull request (docs/security.md); undefined: not ours. */
async function trusted(deps: Deps, target: Target, pull: Pull): Promise<Verdict | undefined> {
  const { gh, repo } = deps;
  let config: Config | undefined;
  try {
    config = await baseConfig(gh, repo, pull.base.sha);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return rejectArtifact(new UserError(`the base branch's ${error.message}`, error.location));
  }
  const standing = runStanding(target.run, pull, config);
  if (!standing.counts) {
    deps.log(`workflow run ${target.run.id} ignored for #${target.number}: ${standing.why}`);
    return undefined;
  }
  if (!standing.verified) {
    const changed = await protectedChanges(gh, repo, target.number);
    if (changed.length > 0) return { kind: "rejected", ...unverified(changed) };
  }
  if ("error" in target.loaded) return rejectArtifact(target.loaded.error);
  const report = target.loaded.report;
  if (!config) return judge(report, config, pull.base.sha, target.override);
  try {
    const champion = await registryChampion(gh, repo, config, pull.base.sha);
    const findings = checkBaseline(report, champion, config);
    return judge(report, config, pull.base.sha, target.override, findings);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return rejectArtifact(new UserError(`the registry's champion: ${error.message}`, error.location));
  }
}

/** Judges one report for one pull request, then updates the sticky comment and the check run. */
async function publish(deps: Deps, target: Target): Promise<Verdict | undefined> {
  const { gh, repo } = deps;
  const pull = await getPull(gh, repo, target.number);
  const verdict = await trusted(deps, target, pull);
  if (!verdict) return undefined;
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
  await completeCheck(gh, repo, { ...target, runId: target.run.id, owner: deps }, verdict);
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
  run: RunFacts & { head_sha: string; pull_requests: { number: number }[]; head?: Head["fork"] },
): Promise<void> {
  if (!["pull_request", "workflow_dispatch", "merge_group"].includes(run.event)) {
    deps.log(`workflow run ${run.id} ignored: a ${run.event} run is never a pull request's evidence`);
    return;
  }
  const loaded = await load(deps, run.id);
  if (!loaded) return;
  if (run.event === "merge_group") return judgeMergeGroup(deps, run, loaded);
  const facts: RunFacts = { id: run.id, path: run.path, event: run.event, head_branch: run.head_branch };
  if (run.event === "workflow_dispatch") return reportDispatched(deps, facts, loaded);
  const pulls = await pullsOf(deps, run.pull_requests, { sha: run.head_sha, fork: run.head });
  const done = await Promise.all(
    pulls.map((number) =>
      deps.queue.push(pullKey(deps.repo, number), async () => {
        await publish(deps, { sha: run.head_sha, run: facts, number, pulls, loaded });
      }),
    ),
  );
  if (done.includes(false))
    throw new Error(`workflow run ${run.id}: a pull request's verdict was not published`);
}

/**
 * A run the bot dispatched for a chat-ops command (`retrain`, `compare`, `verify`) runs on the base
 * branch: its head_sha is the base's and it lists no pull requests. Its report names the pull request
 * and the commit the command pinned; it goes to that pull request only while that commit is still its
 * head, and the trust model still decides whether the run counts (the base branch's own workflow only).
 */
async function reportDispatched(deps: Deps, run: RunFacts, loaded: Loaded): Promise<void> {
  const runId = run.id;
  const claim = "report" in loaded ? loaded.report.pullRequest : undefined;
  const commit = "report" in loaded ? loaded.report.run?.commit : undefined;
  if (!claim) {
    deps.log(`dispatched workflow run ${runId} ignored: its report names no pull request`);
    return;
  }
  if (commit !== claim.sha) {
    deps.logError(
      `workflow run ${runId} claims ${claim.sha.slice(0, 7)} but evaluated ${(commit ?? "no commit").slice(0, 9)}; ignored`,
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
    await publish(deps, { sha: claim.sha, run, number: claim.number, pulls: [claim.number], loaded });
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
    run: await runFacts(deps, runId),
    loaded,
    passed: check.conclusion === "success",
    pulls: check.state?.pulls ?? [],
    accept: check.state?.accept,
  };
}

const RunInfo = z.object({
  id: z.number().int().positive(),
  path: z.string().max(500),
  event: z.string().max(60),
  head_branch: z.string().max(255).nullable(),
});

/** A run's workflow file, event and branch, asked of GitHub (never of the report). */
async function runFacts(deps: Deps, runId: number): Promise<RunFacts> {
  const { data } = await deps.gh.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}", {
    ...deps.repo,
    run_id: runId,
  });
  return RunInfo.parse(data);
}

interface Judged {
  run: RunFacts;
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
  const { run, loaded, pulls: judgedFor, accept } = await judgedRun(deps, sha);
  const pulls = listed.length ? await pullsOf(deps, listed, { sha }) : judgedFor;
  for (const number of pulls) await publish(deps, { sha, run, number, pulls, loaded, override: accept });
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
  const { run, loaded, passed, pulls: judgedFor } = await judgedRun(deps, sha);
  if (passed) throw new UserError("the modelgate check passed; there is no regression to accept");
  const override = { by, reason, at: deps.now().toISOString() };
  const pulls = listed.length ? await pullsOf(deps, listed, { sha }) : judgedFor;
  for (const number of pulls) {
    const verdict = await publish(deps, { sha, run, number, pulls, loaded, override });
    if (!verdict || outcomeOf(verdict) === "rejected") {
      throw new UserError("the report could not be used, so there is no gate result to accept");
    }
  }
}
