import { Octokit } from "octokit";
import { type FakeGitData, installGitData } from "../fake-github/git-data.js";
import { type FakeIssuesPulls, installIssuesPulls } from "../fake-github/issues-pulls.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";

export const OWNER = "octo-org";
export const REPO = "churn";

export interface GitHubHarness {
  fake: FakeGitHub;
  git: FakeGitData;
  github: FakeIssuesPulls;
  octokit: Octokit;
  /** Commit of `main` after seeding. */
  main: string;
}

/** A fake GitHub with a repository whose `main` holds one README commit, reached over real HTTP. */
export async function startHarness(): Promise<GitHubHarness> {
  const fake = await startFakeGitHub();
  const git = installGitData(fake, OWNER, REPO);
  const github = installIssuesPulls(fake, OWNER, REPO);
  const octokit = new Octokit({
    auth: "test-token",
    baseUrl: fake.url,
    throttle: { enabled: false },
    retry: { enabled: false },
  });
  const repo = { owner: OWNER, repo: REPO };
  const tree = await octokit.request("POST /repos/{owner}/{repo}/git/trees", {
    ...repo,
    tree: [{ path: "README.md", mode: "100644", type: "blob", content: "# churn\n" }],
  });
  const commit = await octokit.request("POST /repos/{owner}/{repo}/git/commits", {
    ...repo,
    message: "initial",
    tree: tree.data.sha,
    parents: [],
  });
  await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
    ...repo,
    ref: "refs/heads/main",
    sha: commit.data.sha,
  });
  // Seeding is set-up, not what the test is about: start the request log afresh.
  fake.requests.length = 0;
  return { fake, git, github, octokit, main: commit.data.sha };
}
