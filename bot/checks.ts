import { z } from "zod";
import { DEFAULT_CONFIG_FILE } from "../core/config/index.js";
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

const CheckRuns = z.object({
  check_runs: z.array(
    z.object({
      id: z.number().int().positive(),
      external_id: z.string().nullable(),
      status: z.string(),
      conclusion: z.string().nullable(),
    }),
  ),
});
export type CheckRun = z.infer<typeof CheckRuns>["check_runs"][number];

/** The newest modelgate check run on a commit (GitHub lists the newest first). */
export async function findCheckRun(gh: GitHub, repo: RepoRef, sha: string): Promise<CheckRun | undefined> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    ...repo,
    ref: sha,
    check_name: CHECK_NAME,
    filter: "latest",
  });
  return CheckRuns.parse(data).check_runs[0];
}

export async function queueCheck(gh: GitHub, repo: RepoRef, sha: string): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/check-runs", {
    ...repo,
    name: CHECK_NAME,
    head_sha: sha,
    status: "queued",
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
      title: `gate ${gate.metric}`.slice(0, 255),
      message: gate.reason.slice(0, 64_000),
    }));
}

/**
 * Completes the commit's modelgate check run (creating it when the queued one is missing), with the
 * Accept regression button when a gate failed; annotations go 50 per request, as GitHub requires.
 */
export async function completeCheck(
  gh: GitHub,
  repo: RepoRef,
  sha: string,
  verdict: Verdict,
  runId: number,
): Promise<number> {
  const outcome = outcomeOf(verdict);
  const output = {
    title: title(verdict),
    summary: cut(renderComment(verdict, sha), CHECK_LIMITS.summary),
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
    external_id: String(runId),
    output: { ...output, annotations: batches[0] ?? [] },
    actions: outcome === "failed" ? [ACCEPT_ACTION] : [],
  };
  const existing = await findCheckRun(gh, repo, sha);
  let id: number;
  if (existing) {
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
