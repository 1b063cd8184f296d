import { z } from "zod";

/**
 * The webhook fields the bot reads. The signature proves a delivery came from GitHub, not that a field
 * has the shape we expect; names and SHAs end up in API paths, so each is held to GitHub's own syntax.
 */
export const Login = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?$/);
export const RepoName = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/)
  .refine((name) => name !== "." && name !== "..");
export const Sha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/);
const Id = z.number().int().positive();

const Repository = z.object({ name: RepoName, owner: z.object({ login: Login }) });
const Sender = z.object({ login: Login, type: z.string().max(40) });
const Common = {
  repository: Repository,
  sender: Sender,
  installation: z.object({ id: Id }).optional(),
};

export const PullRequestEvent = z.object({
  ...Common,
  pull_request: z.object({
    number: Id,
    head: z.object({ sha: Sha }),
    base: z.object({ sha: Sha, ref: z.string().min(1).max(255) }),
  }),
});
export type PullRequestEvent = z.infer<typeof PullRequestEvent>;

const PrRef = z.object({ number: Id });

export const WorkflowRunEvent = z.object({
  ...Common,
  workflow_run: z.object({
    id: Id,
    head_sha: Sha,
    conclusion: z.string().max(40).nullable(),
    path: z.string().max(500),
    // Empty for pull requests from forks: the bot then looks them up by head SHA.
    pull_requests: z.array(PrRef).max(100).default([]),
  }),
});
export type WorkflowRunEvent = z.infer<typeof WorkflowRunEvent>;

export const CheckRunEvent = z.object({
  ...Common,
  check_run: z.object({
    id: Id,
    name: z.string().max(200),
    head_sha: Sha,
    external_id: z.string().max(200).nullable(),
    pull_requests: z.array(PrRef).max(100).default([]),
  }),
  requested_action: z.object({ identifier: z.string().max(20) }).nullish(),
});
export type CheckRunEvent = z.infer<typeof CheckRunEvent>;

export const IssueCommentEvent = z.object({
  ...Common,
  issue: z.object({ number: Id, pull_request: z.object({}).nullish() }),
  // GitHub caps comment bodies at 65,536 characters; anything longer did not come from GitHub.
  comment: z.object({ id: Id, body: z.string().max(65_536), user: Sender }),
});
export type IssueCommentEvent = z.infer<typeof IssueCommentEvent>;

export interface RepoRef {
  owner: string;
  repo: string;
}

export function repoOf(payload: { repository: z.infer<typeof Repository> }): RepoRef {
  return { owner: payload.repository.owner.login, repo: payload.repository.name };
}
