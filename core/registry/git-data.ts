import { z } from "zod";
import { UserError } from "../errors.js";
import { callGitHub, type GitHubClient, statusOf } from "../github.js";

export type { GitHubClient } from "../github.js";

export interface GitTarget {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  branch: string;
}

const Sha = z.string().regex(/^[0-9a-f]{40}$/);
const Ref = z.looseObject({ object: z.looseObject({ sha: Sha }) });
const Commit = z.looseObject({ sha: Sha, tree: z.looseObject({ sha: Sha }) });
const Created = z.looseObject({ sha: Sha });
const TreeEntry = z.looseObject({
  path: z.string(),
  type: z.string(),
  sha: Sha,
  size: z.number().optional(),
});
export type TreeEntry = z.infer<typeof TreeEntry>;
const Tree = z.looseObject({ sha: Sha, tree: z.array(TreeEntry), truncated: z.boolean().optional() });
const Blob = z.looseObject({ content: z.string(), encoding: z.enum(["base64", "utf-8"]) });

/**
 * GitHub's Git data API (refs, commits, trees, blobs) for one branch. Every answer is parsed: the
 * branch is writable by anyone with push access, so nothing read back is trusted.
 */
export class GitData {
  constructor(readonly target: GitTarget) {}

  private get repo() {
    return { owner: this.target.owner, repo: this.target.repo };
  }

  private call<T>(schema: z.ZodType<T>, what: string, send: () => Promise<{ data: unknown }>): Promise<T> {
    return callGitHub(schema, what, send, (error) => asUserError(error, what, this.target));
  }

  /** The branch's commit, or undefined when the branch does not exist yet. */
  async head(): Promise<string | undefined> {
    try {
      const { data } = await this.target.octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
        ...this.repo,
        ref: `heads/${this.target.branch}`,
      });
      return Ref.parse(data).object.sha;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw asUserError(error, `reading branch ${this.target.branch}`, this.target);
    }
  }

  async commitTree(sha: string): Promise<string> {
    const send = () =>
      this.target.octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
        ...this.repo,
        commit_sha: sha,
      });
    return (await this.call(Commit, `reading commit ${sha}`, send)).tree.sha;
  }

  async tree(sha: string, recursive = false): Promise<TreeEntry[]> {
    const send = () =>
      this.target.octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        ...this.repo,
        tree_sha: sha,
        ...(recursive ? { recursive: "1" } : {}),
      });
    const tree = await this.call(Tree, `reading tree ${sha}`, send);
    if (tree.truncated)
      throw new UserError(`registry tree ${sha} is too large for GitHub to list in one answer`);
    return tree.tree;
  }

  /** The sha of the tree at `segments` below `root`, or undefined when a part is missing. */
  async lookup(root: string, segments: string[]): Promise<string | undefined> {
    let current = root;
    for (const segment of segments) {
      const entry = (await this.tree(current)).find((e) => e.path === segment && e.type === "tree");
      if (!entry) return undefined;
      current = entry.sha;
    }
    return current;
  }

  async blob(sha: string): Promise<Buffer> {
    const send = () =>
      this.target.octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
        ...this.repo,
        file_sha: sha,
      });
    const blob = await this.call(Blob, `reading blob ${sha}`, send);
    return Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8");
  }

  async createBlob(bytes: Uint8Array): Promise<string> {
    const content = Buffer.from(bytes).toString("base64");
    const send = () =>
      this.target.octokit.request("POST /repos/{owner}/{repo}/git/blobs", {
        ...this.repo,
        content,
        encoding: "base64",
      });
    return (await this.call(Created, "creating a blob", send)).sha;
  }

  /** A tree from `base` with the given full paths set to blobs (GitHub builds the nested trees). */
  async createTree(base: string | undefined, files: { path: string; sha: string }[]): Promise<string> {
    const tree = files.map((f) => ({
      path: f.path,
      sha: f.sha,
      mode: "100644" as const,
      type: "blob" as const,
    }));
    const send = () =>
      this.target.octokit.request("POST /repos/{owner}/{repo}/git/trees", {
        ...this.repo,
        tree,
        ...(base ? { base_tree: base } : {}),
      });
    return (await this.call(Created, "creating a tree", send)).sha;
  }

  async createCommit(message: string, tree: string, parents: string[]): Promise<string> {
    const send = () =>
      this.target.octokit.request("POST /repos/{owner}/{repo}/git/commits", {
        ...this.repo,
        message,
        tree,
        parents,
      });
    return (await this.call(Created, "creating a commit", send)).sha;
  }

  /**
   * Moves the branch from `parent` to `commit`, creating it when `parent` is undefined. False when
   * someone else moved it first (422: not a fast forward, or the branch now exists): read and retry.
   */
  async advance(parent: string | undefined, commit: string): Promise<boolean> {
    try {
      if (parent === undefined) {
        await this.target.octokit.request("POST /repos/{owner}/{repo}/git/refs", {
          ...this.repo,
          ref: `refs/heads/${this.target.branch}`,
          sha: commit,
        });
      } else {
        await this.target.octokit.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
          ...this.repo,
          ref: `heads/${this.target.branch}`,
          sha: commit,
          force: false,
        });
      }
      return true;
    } catch (error) {
      if (statusOf(error) === 422) return false;
      throw asUserError(error, `updating branch ${this.target.branch}`, this.target);
    }
  }
}

/** Auth and permission failures are the user's to fix; anything else (5xx, network) stays a bug-shaped error. */
function asUserError(error: unknown, what: string, target: GitTarget): unknown {
  const status = statusOf(error);
  const where = `${target.owner}/${target.repo}`;
  if (status === 401)
    return new UserError(`GitHub refused the token while ${what} in ${where}`, { field: "GITHUB_TOKEN" });
  if (status === 403 || status === 404) {
    return new UserError(
      `GitHub answered ${status} while ${what} in ${where}: check the repository name and that the token may write contents`,
      { field: "GITHUB_TOKEN" },
    );
  }
  return error;
}
