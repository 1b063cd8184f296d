import type { Context } from "probot";
import { z } from "zod";
import { type Config, DEFAULT_CONFIG_FILE, parseConfig } from "../core/config/index.js";
import { readFileAt } from "../core/registry/contents.js";
import type { GitHubClient } from "../core/registry/index.js";
import { REPORT_MARKER } from "../core/report/index.js";
import { type RepoRef, Sha } from "./payloads.js";

/** An installation's (or a workflow token's) authenticated client. */
export type GitHub = Context["octokit"];

export const ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const atLeast = (role: Role, needed: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(needed);

const Permission = z.object({
  permission: z.string(),
  role_name: z.string(),
  user: z
    .object({
      permissions: z
        .object({
          admin: z.boolean().optional(),
          maintain: z.boolean().optional(),
          push: z.boolean().optional(),
          triage: z.boolean().optional(),
          pull: z.boolean().optional(),
        })
        .optional(),
    })
    .nullish(),
});

/**
 * The user's role on the repository. `author_association` is never used: it says how someone is
 * related to the repository (a past contributor is CONTRIBUTOR), not what they may do. A custom role
 * has its own name, so it is ranked by the permissions it grants.
 */
export async function roleOf(gh: GitHub, repo: RepoRef, username: string): Promise<Role> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
    ...repo,
    username,
  });
  const parsed = Permission.parse(data);
  const named = ROLES.find((role) => role === parsed.role_name);
  if (named) return named;
  const p = parsed.user?.permissions;
  if (p?.admin) return "admin";
  if (p?.maintain) return "maintain";
  if (p?.push) return "write";
  if (p?.triage) return "triage";
  if (p?.pull) return "read";
  return ROLES.find((role) => role === parsed.permission && role !== "maintain") ?? "none";
}

const Pull = z.object({
  number: z.number().int().positive(),
  state: z.string(),
  head: z.object({ sha: Sha }),
  base: z.object({ sha: Sha, ref: z.string().min(1).max(255) }),
});
export type Pull = z.infer<typeof Pull>;

export async function getPull(gh: GitHub, repo: RepoRef, number: number): Promise<Pull> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    ...repo,
    pull_number: number,
  });
  return Pull.parse(data);
}

/** A commit, and for a run from a fork the branch it ran on (`owner:branch`), as the run's payload says. */
export interface Head {
  sha: string;
  fork?: { owner: string; branch: string };
}

/**
 * Open pull requests whose head is `sha`. A workflow run from a fork lists no pull requests, and the
 * commit-to-pulls endpoint does not see fork commits, so they are asked for by `head=owner:branch`: one
 * call, not a walk through every open pull request. Without a branch there is nothing to ask.
 */
export async function pullsWithHead(gh: GitHub, repo: RepoRef, head: Head): Promise<number[]> {
  if (!head.fork) return [];
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...repo,
    state: "open",
    head: `${head.fork.owner}:${head.fork.branch}`,
    per_page: 100,
  });
  return z
    .array(Pull)
    .parse(data)
    .filter((pull) => pull.head.sha === head.sha)
    .map((pull) => pull.number);
}

/** The installation's client as core's ports take it (Probot's Octokit has the same `request`). */
export const client = (gh: GitHub): GitHubClient => gh as unknown as GitHubClient;

/**
 * The base branch's modelgate.yml: its gates bind the pull request, whatever the pull request's own
 * copy says. Undefined when the base has none; a UserError (naming the field) when it is invalid.
 */
export async function baseConfig(gh: GitHub, repo: RepoRef, sha: string): Promise<Config | undefined> {
  const text = await readFileAt(client(gh), repo, DEFAULT_CONFIG_FILE, sha);
  return text === undefined ? undefined : parseConfig(text, DEFAULT_CONFIG_FILE);
}

export type Reaction = "eyes" | "rocket" | "confused";

export async function react(gh: GitHub, repo: RepoRef, commentId: number, content: Reaction): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    ...repo,
    comment_id: commentId,
    content,
  });
}

export async function comment(gh: GitHub, repo: RepoRef, issue: number, body: string): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    ...repo,
    issue_number: issue,
    body,
  });
}

const IssueComment = z.object({
  id: z.number().int().positive(),
  body: z.string().nullish(),
  user: z.object({ login: z.string() }).nullable(),
});

/**
 * Keeps one report comment per pull request: the bot's own comment that starts with the marker.
 * Both are required, so a user who pastes the marker cannot make the bot edit, or hide behind, theirs.
 */
export async function upsertReportComment(
  gh: GitHub,
  repo: RepoRef,
  issue: number,
  body: string,
  botLogin: string,
): Promise<"created" | "updated"> {
  for await (const page of gh.paginate.iterator("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    ...repo,
    issue_number: issue,
    per_page: 100,
  })) {
    const mine = z
      .array(IssueComment)
      .parse(page.data)
      .find((c) => c.user?.login === botLogin && c.body?.startsWith(REPORT_MARKER));
    if (mine) {
      await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        ...repo,
        comment_id: mine.id,
        body,
      });
      return "updated";
    }
  }
  await comment(gh, repo, issue, body);
  return "created";
}

/** Runs a workflow of the base branch (trusted code), handing it the pull request's commit. */
export async function dispatch(
  gh: GitHub,
  repo: RepoRef,
  workflow: string,
  ref: string,
  inputs: Record<string, string>,
): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
    ...repo,
    workflow_id: workflow,
    ref,
    inputs,
  });
}
