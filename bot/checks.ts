import { z } from "zod";
import { DEFAULT_CONFIG_FILE } from "../core/config/index.js";
import type { Override } from "../core/report/index.js";
import type { GitHub } from "./github.js";
import type { RepoRef } from "./payloads.js";
import { outcomeOf, renderComment, title, type Verdict } from "./verdict.js";

export const CHECK_NAME = "modelgate";
export const ACCEPT_ACTION = {
  label: "Accept regression",
  description: "Pass the check despite the failed gates",
  identifier: "accept_regression",
} as const;

/** GitHub's limits on a check run's output (per field) and on annotations per request. */
export const CHECK_LIMITS = { summary: 65_535, annotationsPerRequest: 50 } as const;

/**
 * Our check runs carry a mark in `external_id`: `modelgate` while queued, `modelgate:<run id>` once
 * judged from that workflow run's report. The name alone is not ours: the example workflow's job is
 * also called `modelgate`, and in a workflow (no App id) the Actions app made both.
 */
const MARK = /^modelgate(?::([0-9]{1,15}))?$/;
export const markOf = (runId?: number): string => (runId === undefined ? "modelgate" : `modelgate:${runId}`);

/** Who the check runs belong to: the App's id, or undefined inside a workflow (the mark alone decides). */
export interface Owner {
  appId?: number;
}

/** What the bot keeps in a judged check run's `output.text`, below a line a reader sees. */
const State = z.object({
  pulls: z.array(z.number().int().positive()).max(100),
  accept: z
    .object({ by: z.string().max(100), reason: z.string().max(500), at: z.string().max(40) })
    .optional(),
});
export type CheckState = z.infer<typeof State>;
const STATE = /<!-- modelgate:state (\{.*\}) -->/;

const CheckRunItem = z.object({
  id: z.number().int().positive(),
  external_id: z.string().nullable(),
  status: z.string(),
  conclusion: z.string().nullable(),
  app: z.object({ id: z.number().int() }).nullish(),
  output: z.object({ text: z.string().nullish() }).nullish(),
});

export interface CheckRun {
  id: number;
  status: string;
  conclusion: string | null;
  /** The workflow run whose report was judged; undefined while queued. */
  runId: number | undefined;
  state: CheckState | undefined;
}

export const isOurs = (check: { external_id: string | null; app?: { id: number } | null }, owner: Owner) =>
  MARK.test(check.external_id ?? "") && (owner.appId === undefined || check.app?.id === owner.appId);

function stateOf(text: string | null | undefined): CheckState | undefined {
  const json = STATE.exec(text ?? "")?.[1];
  if (!json) return undefined;
  try {
    return State.parse(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/** Our newest check run on a commit, found by App id and mark, never by name alone. */
export async function findCheckRun(
  gh: GitHub,
  repo: RepoRef,
  sha: string,
  owner: Owner,
): Promise<CheckRun | undefined> {
  const runs = await gh.paginate("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    ...repo,
    ref: sha,
    check_name: CHECK_NAME,
    filter: "all",
    per_page: 100,
    ...(owner.appId === undefined ? {} : { app_id: owner.appId }),
  });
  const ours = z
    .array(CheckRunItem)
    .parse(runs)
    .filter((run) => isOurs(run, owner))
    .sort((a, b) => b.id - a.id)[0];
  if (!ours) return undefined;
  const runId = MARK.exec(ours.external_id ?? "")?.[1];
  return {
    id: ours.id,
    status: ours.status,
    conclusion: ours.conclusion,
    runId: runId === undefined ? undefined : Number(runId),
    state: stateOf(ours.output?.text),
  };
}

export async function queueCheck(gh: GitHub, repo: RepoRef, sha: string): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/check-runs", {
    ...repo,
    name: CHECK_NAME,
    head_sha: sha,
    status: "queued",
    external_id: markOf(),
    output: {
      title: "Waiting for the modelgate workflow",
      summary: "The verdict appears here when the workflow uploads its `modelgate-report` artifact.",
    },
  });
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = "\n\n_Cut to fit a check run; see the pull request comment._";
  return text.slice(0, max - note.length) + note;
}

function annotations(verdict: Verdict) {
  if (verdict.kind !== "judged") return [];
  return verdict.report.gates
    .filter((gate) => !gate.passed)
    .map((gate) => ({
      path: DEFAULT_CONFIG_FILE,
      start_line: 1,
      end_line: 1,
      annotation_level: "failure" as const,
      title: `gate ${gate.metric}${gate.outcome === "inconclusive" ? " inconclusive" : ""}`.slice(0, 255),
      message: gate.reason.slice(0, 64_000),
    }));
}

function stateText(pulls: number[], override: Override | undefined): string {
  const accept = override
    ? { by: override.by, reason: override.reason.slice(0, 500), at: override.at }
    : undefined;
  const state: CheckState = { pulls: pulls.slice(0, 100), ...(accept ? { accept } : {}) };
  // `<` and `>` as escapes: the JSON cannot end the HTML comment it sits in.
  const json = JSON.stringify(state).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `Judged for pull request ${pulls.map((n) => `#${n}`).join(", ")}.\n\n<!-- modelgate:state ${json} -->`;
}

/**
 * Completes our check run for the commit with the verdict, with the Accept regression button when a gate
 * failed. GitHub only ever appends annotations, so a queued check run is completed in place and a judged
 * one is replaced by a new run (the newest of a name is the one branch protection reads); annotations go
 * 50 per request, as GitHub requires.
 */
export async function completeCheck(
  gh: GitHub,
  repo: RepoRef,
  target: { sha: string; runId: number; pulls: number[]; owner: Owner },
  verdict: Verdict,
): Promise<number> {
  const { sha, runId } = target;
  const outcome = outcomeOf(verdict);
  const output = {
    title: title(verdict),
    summary: cut(renderComment(verdict, sha), CHECK_LIMITS.summary),
    text: stateText(target.pulls, verdict.kind === "judged" ? verdict.report.override : undefined),
  };
  const all = annotations(verdict);
  const batches: (typeof all)[] = [];
  for (let i = 0; i < all.length; i += CHECK_LIMITS.annotationsPerRequest) {
    batches.push(all.slice(i, i + CHECK_LIMITS.annotationsPerRequest));
  }
  const fields = {
    status: "completed" as const,
    conclusion: outcome === "passed" || outcome === "accepted" ? ("success" as const) : ("failure" as const),
    completed_at: new Date().toISOString(),
    external_id: markOf(runId),
    output: { ...output, annotations: batches[0] ?? [] },
    // An inconclusive gate blocks like a failure, and is accepted the same way.
    actions: outcome === "failed" || outcome === "inconclusive" ? [ACCEPT_ACTION] : [],
  };
  const existing = await findCheckRun(gh, repo, sha, target.owner);
  let id: number;
  if (existing && existing.status !== "completed") {
    await gh.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...repo,
      check_run_id: existing.id,
      ...fields,
    });
    id = existing.id;
  } else {
    const { data } = await gh.request("POST /repos/{owner}/{repo}/check-runs", {
      ...repo,
      name: CHECK_NAME,
      head_sha: sha,
      ...fields,
    });
    id = z.object({ id: z.number().int() }).parse(data).id;
  }
  for (const batch of batches.slice(1)) {
    await gh.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...repo,
      check_run_id: id,
      output: { ...output, annotations: batch },
    });
  }
  return id;
}
