import { z } from "zod";

export type { GitHubClient } from "../github.js";

export interface Repo {
  owner: string;
  repo: string;
}

const Sha = z.string().regex(/^[0-9a-f]{40}$/);

// GitHub's answers are parsed, never cast: only the fields used, extra ones allowed.
export const Issue = z.looseObject({
  number: z.number().int().positive(),
  html_url: z.string(),
  state: z.string(),
  body: z.string().nullable().optional(),
  pull_request: z.unknown().optional(),
});
export type Issue = z.infer<typeof Issue>;
export const IssueList = z.array(Issue);
export const Comment = z.looseObject({ id: z.number().int() });

export const PullRequest = z.looseObject({
  number: z.number().int().positive(),
  html_url: z.string(),
  head: z.looseObject({ ref: z.string() }),
});
export const PullList = z.array(PullRequest);

export const Ref = z.looseObject({ object: z.looseObject({ sha: Sha }) });
export const Commit = z.looseObject({ sha: Sha, tree: z.looseObject({ sha: Sha }) });
export const Created = z.looseObject({ sha: Sha });

export const IssueOutcome = z.strictObject({
  action: z.enum(["opened", "updated", "unchanged", "closed", "none"]),
  number: z.number().int().optional(),
  url: z.string().optional(),
});
export type IssueOutcome = z.infer<typeof IssueOutcome>;

export const PullOutcome = z.strictObject({
  action: z.enum(["opened", "exists"]),
  number: z.number().int(),
  url: z.string(),
  branch: z.string(),
});
export type PullOutcome = z.infer<typeof PullOutcome>;
