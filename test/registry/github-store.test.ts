import { Octokit } from "octokit";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { githubStore, LocalStore } from "../../core/registry/index.js";
import { installGitData } from "../fake-github/git-data.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";
import { BRANCH, githubHarness, type Harness, modelFolder, OWNER, REPO, tempDir } from "./harness.js";

describe("github registry store", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });
  const open = async (options?: Parameters<typeof githubHarness>[0]): Promise<Harness> => {
    const h = await githubHarness(options);
    cleanup.push(() => h.close());
    return h;
  };

  it("creates the orphan branch and lays files out as the local store does", async () => {
    const h = await open();
    const dir = await modelFolder(1);
    const localRoot = await tempDir();

    await h.store.register("churn", dir, { metrics: { accuracy: 0.9 } });
    await h.store.setAlias("churn", "champion", 1);
    const local = new LocalStore(localRoot);
    await local.register("churn", dir, { metrics: { accuracy: 0.9 } });

    const files = h.git!.files(BRANCH);
    expect([...files.keys()].sort()).toEqual([
      "models/churn/aliases.json",
      "models/churn/versions/1/card/README.md",
      "models/churn/versions/1/model.json",
      "models/churn/versions/1/modelgate.json",
      "models/churn/versions/1/version.json",
      "models/churn/versions/1/weights.bin",
    ]);
    const head = h.git!.refs.get(`refs/heads/${BRANCH}`)!;
    const root = h.fake!.requests.find((r) => r.method === "POST" && r.path.endsWith("/git/commits"))!;
    expect(root.body).toMatchObject({ parents: [] });
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    const { createdAt: _a, ...remote } = await h.store.get("churn", "1");
    const { createdAt: _b, ...onDisk } = await local.get("churn", "1");
    expect(remote).toEqual(onDisk);
  });

  it("gives up with a clear error when the branch keeps moving", async () => {
    const fake = await startFakeGitHub();
    cleanup.push(() => fake.close());
    // Ahead of the real routes: every fast-forward update loses the race.
    fake.route("PATCH", "/repos/:owner/:repo/git/refs/:ref*", () => ({
      status: 422,
      body: { message: "Update is not a fast forward" },
    }));
    installGitData(fake, OWNER, REPO);
    const octokit = new Octokit({ auth: "t", baseUrl: fake.url, throttle: { enabled: false } });
    const store = githubStore({
      octokit,
      owner: OWNER,
      repo: REPO,
      retry: { attempts: 3, baseMs: 1, capMs: 2 },
    });
    await store.register("churn", await modelFolder(1), {});

    const error = await store.register("churn", await modelFolder(2), {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/kept moving under 3 attempts/);
    expect(fake.requests.filter((r) => r.method === "PATCH")).toHaveLength(3);
    expect((await store.list("churn")).map((v) => v.version)).toEqual([1]);
  });

  it("turns a refused token into a user error naming GITHUB_TOKEN", async () => {
    const fake: FakeGitHub = await startFakeGitHub();
    cleanup.push(() => fake.close());
    fake.route("GET", "/repos/:owner/:repo/git/ref/:ref*", () => ({
      status: 401,
      body: { message: "Bad credentials" },
    }));
    const octokit = new Octokit({ auth: "wrong", baseUrl: fake.url, throttle: { enabled: false } });

    const error = await githubStore({ octokit, owner: OWNER, repo: REPO })
      .list()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location.field).toBe("GITHUB_TOKEN");
  });

  it("reads an empty registry when the branch does not exist yet", async () => {
    const h = await open();

    const listed = await h.store.list();

    expect(listed).toEqual([]);
    expect(h.git!.refs.size).toBe(0);
  });
});
