import { z } from "zod";
import { UserError } from "../errors.js";
import { type GitHubClient, statusOf } from "../github.js";

const FileContent = z.object({
  type: z.literal("file"),
  encoding: z.literal("base64"),
  // The contents API serves files up to 1 MB this way; configs and registry indexes are far smaller.
  content: z.string().max(1_500_000),
});

/**
 * A file's text at a commit (or branch), read through GitHub's contents API: undefined when the file is
 * not there (404); a folder or a symlink at that path is a UserError naming it. The answer is parsed, not
 * trusted: whoever can push to the ref wrote it.
 */
export async function readFileAt(
  octokit: GitHubClient,
  target: { owner: string; repo: string },
  file: string,
  ref: string,
): Promise<string | undefined> {
  let data: unknown;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: target.owner,
      repo: target.repo,
      path: file,
      ref,
    }));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  const parsed = FileContent.safeParse(data);
  if (!parsed.success) {
    throw new UserError(`${file} at ${ref.slice(0, 12)} is not a file of at most 1 MB`, { file });
  }
  return Buffer.from(parsed.data.content, "base64").toString("utf8");
}
