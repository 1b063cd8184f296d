import { createHash } from "node:crypto";
import type { DriftResult } from "../drift/schema.js";
import { call } from "./github.js";
import { Comment, type GitHubClient, Issue, IssueList, type IssueOutcome, type Repo } from "./schema.js";

/** Open issues scanned for the marker at most (100 a page). */
const MAX_PAGES = 10;

export const issueMarker = (model: string) => `<!-- modelgate:drift:${safeName(model)} -->`;
const stateMarker = (state: string) => `<!-- modelgate:drift-state:${state} -->`;
const STATE = /<!-- modelgate:drift-state:([0-9a-f]+) -->/;

/** Model names go into markers, titles and branch names: letters, digits, '.', '_' and '-' only. */
export function safeName(model: string): string {
  return model.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 100);
}

/** Drift, prediction drift or degraded performance: what an issue is about. */
export function isAlert(result: DriftResult): boolean {
  return result.drift || result.prediction?.drift === true || result.performance?.degraded === true;
}

/** What a change of worth a comment is: which columns drifted, prediction drift, degradation. */
export function alertState(result: DriftResult): string {
  const drifted = result.columns
    .filter((c) => c.drift)
    .map((c) => c.column)
    .sort();
  const failed = (result.performance?.gates ?? [])
    .filter((g) => !g.passed)
    .map((g) => g.metric)
    .sort();
  const key = JSON.stringify([result.drift, drifted, result.prediction?.drift ?? null, failed]);
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/**
 * Keeps ONE issue per model, found by its hidden marker: opened on drift, its body updated and a
 * comment added when the drift changes, closed with a comment when drift clears.
 */
export async function syncDriftIssue(
  client: GitHubClient,
  target: Repo,
  model: string,
  result: DriftResult,
  report: string,
): Promise<IssueOutcome> {
  const existing = await findIssue(client, target, model);
  const state = alertState(result);
  const body = `${issueMarker(model)}\n${stateMarker(state)}\n${report}`;
  if (!isAlert(result)) {
    if (!existing) return { action: "none" };
    await comment(client, target, existing.number, `Drift cleared.\n\n${report}`);
    await call(Issue, "closing the drift issue", () =>
      client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
        ...target,
        issue_number: existing.number,
        state: "closed",
        state_reason: "completed",
      }),
    );
    return { action: "closed", number: existing.number, url: existing.html_url };
  }
  if (!existing) {
    const created = await call(Issue, "opening the drift issue", () =>
      client.request("POST /repos/{owner}/{repo}/issues", {
        ...target,
        title: `Data drift detected in ${safeName(model)}`,
        body,
      }),
    );
    return { action: "opened", number: created.number, url: created.html_url };
  }
  if (STATE.exec(existing.body ?? "")?.[1] === state) {
    return { action: "unchanged", number: existing.number, url: existing.html_url };
  }
  await call(Issue, "updating the drift issue", () =>
    client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      ...target,
      issue_number: existing.number,
      body,
    }),
  );
  await comment(client, target, existing.number, `The drift changed.\n\n${report}`);
  return { action: "updated", number: existing.number, url: existing.html_url };
}

async function findIssue(client: GitHubClient, target: Repo, model: string): Promise<Issue | undefined> {
  const marker = issueMarker(model);
  for (let page = 1; page <= MAX_PAGES; page++) {
    const issues = await call(IssueList, "listing open issues", () =>
      client.request("GET /repos/{owner}/{repo}/issues", { ...target, state: "open", per_page: 100, page }),
    );
    const found = issues.find((issue) => !issue.pull_request && (issue.body ?? "").includes(marker));
    if (found || issues.length < 100) return found;
  }
  return undefined;
}

async function comment(client: GitHubClient, target: Repo, number: number, body: string): Promise<void> {
  await call(Comment, "commenting on the drift issue", () =>
    client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...target,
      issue_number: number,
      body,
    }),
  );
}
