import { Octokit } from "octokit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { call } from "../../core/monitor/github.js";
import { IssueList } from "../../core/monitor/schema.js";
import { GitData } from "../../core/registry/git-data.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";

const repo = { owner: "octo-org", repo: "churn" };
const SHA = "a".repeat(40);

/** The one GitHub call in core (core/github.ts), as monitoring and the registry each map a refusal. */
describe("callGitHub through monitor and registry", () => {
  let fake: FakeGitHub;
  let octokit: Octokit;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    octokit = new Octokit({
      auth: "t",
      baseUrl: fake.url,
      throttle: { enabled: false },
      retry: { enabled: false },
    });
  });

  afterEach(async () => {
    expect(fake.unmatched()).toEqual([]);
    expect(fake.unused()).toEqual([]);
    await fake.close();
  });

  it("refuses an answer of another shape, naming the field, in monitoring and the registry alike", async () => {
    fake.route("GET", "/repos/:owner/:repo/issues", () => ({
      body: [{ number: "seven", html_url: "u", state: "open" }],
    }));
    fake.route("GET", "/repos/:owner/:repo/git/commits/:sha", () => ({ body: { sha: SHA, tree: {} } }));
    const git = new GitData({ octokit, ...repo, branch: "modelgate-registry" });

    const issues = call(IssueList, "listing issues", () =>
      octokit.request("GET /repos/{owner}/{repo}/issues", repo),
    );
    const commit = git.commitTree(SHA);

    await expect(issues).rejects.toThrow(/^unexpected answer from GitHub to listing issues: expected number/);
    await expect(issues).rejects.toMatchObject({ location: { field: "0.number" } });
    await expect(commit).rejects.toThrow(
      `unexpected answer from GitHub to reading commit ${SHA}: expected string`,
    );
    await expect(commit).rejects.toMatchObject({ location: { field: "tree.sha" } });
  });

  it("turns a refused request into each caller's message", async () => {
    fake.route("GET", "/repos/:owner/:repo/issues", () => ({ status: 403, body: { message: "Forbidden" } }));
    fake.route("GET", "/repos/:owner/:repo/git/commits/:sha", () => ({
      status: 401,
      body: { message: "Bad credentials" },
    }));
    const git = new GitData({ octokit, ...repo, branch: "modelgate-registry" });

    const issues = call(IssueList, "listing issues", () =>
      octokit.request("GET /repos/{owner}/{repo}/issues", repo),
    );
    const commit = git.commitTree(SHA);

    await expect(issues).rejects.toThrow(UserError);
    await expect(issues).rejects.toThrow(
      /^GitHub refused listing issues: 403 .*\(the token needs issues: write/,
    );
    await expect(issues).rejects.toMatchObject({ exitCode: 1 });
    await expect(commit).rejects.toThrow(
      `GitHub refused the token while reading commit ${SHA} in octo-org/churn`,
    );
  });
});
