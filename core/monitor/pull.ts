import { call, statusOf } from "./github.js";
import { safeName } from "./issue.js";
import {
  Commit,
  Created,
  type GitHubClient,
  PullList,
  type PullOutcome,
  PullRequest,
  Ref,
  type Repo,
} from "./schema.js";

export interface RetrainFile {
  /** Path in the repository, '/'-separated. */
  path: string;
  content: Uint8Array;
}

export interface RetrainPullOptions {
  /** Branch the pull request targets (the repository's default branch). */
  base: string;
  model: string;
  files: RetrainFile[];
  title: string;
  body: string;
}

export const retrainBranch = (model: string) => `modelgate/retrain-${safeName(model)}`;

/**
 * Commits the retrained model on its own branch through the Git data API (blobs, tree, commit, ref)
 * and opens a pull request; while one from that branch is open, it is left alone (no duplicates).
 */
export async function openRetrainPullRequest(
  client: GitHubClient,
  target: Repo,
  options: RetrainPullOptions,
): Promise<PullOutcome> {
  const existing = await findRetrainPull(client, target, options.model);
  if (existing) return existing;
  const branch = retrainBranch(options.model);

  const baseRef = await call(Ref, `reading branch ${options.base}`, () =>
    client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...target, ref: `heads/${options.base}` }),
  );
  const parent = baseRef.object.sha;
  const baseCommit = await call(Commit, `reading commit ${parent}`, () =>
    client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { ...target, commit_sha: parent }),
  );
  const tree: Array<{ path: string; mode: "100644"; type: "blob"; sha: string }> = [];
  for (const file of options.files) {
    const blob = await call(Created, `uploading ${file.path}`, () =>
      client.request("POST /repos/{owner}/{repo}/git/blobs", {
        ...target,
        content: Buffer.from(file.content).toString("base64"),
        encoding: "base64",
      }),
    );
    tree.push({ path: file.path, mode: "100644" as const, type: "blob" as const, sha: blob.sha });
  }
  const newTree = await call(Created, "creating the tree", () =>
    client.request("POST /repos/{owner}/{repo}/git/trees", {
      ...target,
      base_tree: baseCommit.tree.sha,
      tree,
    }),
  );
  const commit = await call(Created, "creating the commit", () =>
    client.request("POST /repos/{owner}/{repo}/git/commits", {
      ...target,
      message: options.title,
      tree: newTree.sha,
      parents: [parent],
    }),
  );
  await pointBranch(client, target, branch, commit.sha);
  const pull = await call(PullRequest, "opening the pull request", () =>
    client.request("POST /repos/{owner}/{repo}/pulls", {
      ...target,
      title: options.title,
      head: branch,
      base: options.base,
      body: options.body,
    }),
  );
  return { action: "opened", number: pull.number, url: pull.html_url, branch };
}

/** The open pull request from the model's retraining branch, if there is one. */
export async function findRetrainPull(
  client: GitHubClient,
  target: Repo,
  model: string,
): Promise<PullOutcome | undefined> {
  const branch = retrainBranch(model);
  const open = await call(PullList, "listing open pull requests", () =>
    client.request("GET /repos/{owner}/{repo}/pulls", {
      ...target,
      state: "open",
      head: `${target.owner}:${branch}`,
      per_page: 100,
    }),
  );
  const existing = open.find((pull) => pull.head.ref === branch);
  return existing ? { action: "exists", number: existing.number, url: existing.html_url, branch } : undefined;
}

/** Creates the branch, or moves it when a closed pull request left it behind (it is ours alone). */
async function pointBranch(client: GitHubClient, target: Repo, branch: string, sha: string): Promise<void> {
  let exists = true;
  try {
    await client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...target, ref: `heads/${branch}` });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    exists = false;
  }
  if (exists) {
    await call(Ref, `moving branch ${branch}`, () =>
      client.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
        ...target,
        ref: `heads/${branch}`,
        sha,
        force: true,
      }),
    );
  } else {
    await call(Ref, `creating branch ${branch}`, () =>
      client.request("POST /repos/{owner}/{repo}/git/refs", { ...target, ref: `refs/heads/${branch}`, sha }),
    );
  }
}
