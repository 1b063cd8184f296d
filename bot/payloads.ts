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
// A git branch name: no control characters, spaces or `:` (which would split `owner:branch`).
const Branch = z
  .string()
  .max(255)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  .regex(/^[^\s:~^?*[\\\u0000-\u001f\u007f]+$/);

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
    run_attempt: Id.default(1),
    // Only `pull_request` runs (and the base branch's own dispatched runs) count: see bot/trust.ts.
    // workflow_dispatch (a chat-ops command), merge_group (the merge queue), pull_request, ...
    event: z.string().max(60),
    // Empty for pull requests from forks: the bot then asks for `head=owner:branch` and matches the SHA.
    pull_requests: z.array(PrRef).max(100).default([]),
    head_branch: Branch.nullish(),
    head_repository: z.object({ owner: z.object({ login: Login }) }).nullish(),
  }),
});
export type WorkflowRunEvent = z.infer<typeof WorkflowRunEvent>;

/** The fork branch a run's pull request is looked up by, when the run lists none. */
export function forkOf(run: WorkflowRunEvent["workflow_run"]): { owner: string; branch: string } | undefined {
  const owner = run.head_repository?.owner.login;
  return owner && run.head_branch ? { owner, branch: run.head_branch } : undefined;
}

export const CheckRunEvent = z.object({
  ...Common,
  check_run: z.object({
    id: Id,
    name: z.string().max(200),
    head_sha: Sha,
    external_id: z.string().max(200).nullable(),
    app: z.object({ id: Id }).nullish(),
    pull_requests: z.array(PrRef).max(100).default([]),
  }),
  requested_action: z.object({ identifier: z.string().max(20) }).nullish(),
});
export type CheckRunEvent = z.infer<typeof CheckRunEvent>;

export const IssueCommentEvent = z.object({
  ...Common,
  issue: z.object({ number: Id, pull_request: z.object({}).nullish() }),
  // GitHub caps comment bodies at 65,536 characters; anything longer did not come from GitHub.
  comment: z.object({
    id: Id,
    body: z.string().max(65_536),
    user: Sender,
    // When the comment was written: a head commit that arrived later is not what the commenter saw.
    created_at: z.iso.datetime({ offset: true }),
  }),
});
export type IssueCommentEvent = z.infer<typeof IssueCommentEvent>;

export const MergeGroupEvent = z.object({
  ...Common,
  merge_group: z.object({ head_sha: Sha, head_ref: z.string().max(255), base_ref: z.string().max(255) }),
});
export type MergeGroupEvent = z.infer<typeof MergeGroupEvent>;

export interface RepoRef {
  owner: string;
  repo: string;
}

export function repoOf(payload: { repository: z.infer<typeof Repository> }): RepoRef {
  return { owner: payload.repository.owner.login, repo: payload.repository.name };
}
