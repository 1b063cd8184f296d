import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Octokit } from "octokit";
import { saveModel, trainModel } from "../../core/model/index.js";
import { silentLogger } from "../../core/ports.js";
import {
  type GitHubStoreOptions,
  githubStore,
  LocalStore,
  type RegistryStore,
} from "../../core/registry/index.js";
import { type FakeGitData, installGitData } from "../fake-github/git-data.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";
import { classificationTable, config } from "../model/data.js";

export async function tempDir(prefix = "mg-registry-"): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** A model folder shaped like `train`'s output, with a nested file; `seed` makes the bytes differ. */
export async function modelFolder(seed = 1): Promise<string> {
  const dir = await tempDir("mg-model-");
  await writeFile(
    path.join(dir, "model.json"),
    JSON.stringify({ modelTopology: { seed }, weightsManifest: [] }),
  );
  await writeFile(
    path.join(dir, "weights.bin"),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * seed) % 256)),
  );
  await writeFile(
    path.join(dir, "modelgate.json"),
    JSON.stringify({ format: 1, run: { id: `run-${seed}` } }),
  );
  await mkdir(path.join(dir, "card"));
  await writeFile(path.join(dir, "card", "README.md"), `# model ${seed}\n`);
  return dir;
}

/** Tiny CSV data for a project whose target is `label` (a, b, color, flag, label). */
export function projectCsv(rows = 60, seed = 1): string {
  const table = classificationTable(rows, ["no", "yes"], seed);
  const lines = table.data[0]!.map((_, r) => table.data.map((column) => String(column[r])).join(","));
  return `${table.columns.join(",")}\n${lines.join("\n")}\n`;
}

/** A real model folder (loads, predicts), trained on projectCsv's rows, with a run record naming `project`. */
export async function trainedFolder(seed = 1, project = "churn"): Promise<string> {
  const dir = await tempDir("mg-model-");
  const table = classificationTable(60, ["no", "yes"], seed);
  const trained = await trainModel(table, config({ epochs: 2, seed }), {
    logger: silentLogger,
    target: "label",
  });
  const run = { version: 1, id: `run-${seed}`, name: project, metrics: { loss: 0.5 }, data: {} };
  await saveModel(dir, trained, run);
  return dir;
}

/** One store under test, a fresh instance on the same storage, and a way to edit stored bytes behind its back. */
export interface Harness {
  kind: "local" | "github";
  store: RegistryStore;
  /** Another store instance on the same storage, as a second process would open it. */
  another(): RegistryStore;
  /** Overwrites a file of the stored layout (`models/<name>/...`), as a careless hand would. */
  tamper(file: string, content: string | Buffer): Promise<void>;
  /** Reads a file of the stored layout. */
  read(file: string): Promise<Buffer | undefined>;
  close(): Promise<void>;
  fake?: FakeGitHub;
  git?: FakeGitData;
}

export async function localHarness(): Promise<Harness> {
  const root = await tempDir();
  return {
    kind: "local",
    store: new LocalStore(root),
    another: () => new LocalStore(root),
    tamper: async (file, content) => writeFile(path.join(root, file), content),
    read: (file) => readFile(path.join(root, file)).catch(() => undefined),
    close: async () => {},
  };
}

export const OWNER = "acme";
export const REPO = "churn";
export const BRANCH = "modelgate-registry";

export async function githubHarness(options: Partial<GitHubStoreOptions> = {}): Promise<Harness> {
  const fake = await startFakeGitHub();
  const git = installGitData(fake, OWNER, REPO);
  // Octokit spaces writes a second apart by default (GitHub's advice against secondary rate limits);
  // the fake has no such limits, and 20 racing writers would take minutes.
  const octokit = new Octokit({ auth: "test-token", baseUrl: fake.url, throttle: { enabled: false } });
  const open = () =>
    githubStore({ octokit, owner: OWNER, repo: REPO, retry: { baseMs: 5, capMs: 200 }, ...options });
  return {
    kind: "github",
    store: open(),
    another: open,
    fake,
    git,
    // Through the API, like anyone with push access to the branch.
    async tamper(file, content) {
      const repo = { owner: OWNER, repo: REPO };
      const head = git.refs.get(`refs/heads/${BRANCH}`)!;
      const commit = await octokit.rest.git.getCommit({ ...repo, commit_sha: head });
      const blob = await octokit.rest.git.createBlob({
        ...repo,
        content: Buffer.from(content).toString("base64"),
        encoding: "base64",
      });
      const tree = await octokit.rest.git.createTree({
        ...repo,
        base_tree: commit.data.tree.sha,
        tree: [{ path: file, mode: "100644", type: "blob", sha: blob.data.sha }],
      });
      const next = await octokit.rest.git.createCommit({
        ...repo,
        message: "edit by hand",
        tree: tree.data.sha,
        parents: [head],
      });
      await octokit.rest.git.updateRef({ ...repo, ref: `heads/${BRANCH}`, sha: next.data.sha });
    },
    read: async (file) => git.files(BRANCH).get(file),
    close: () => fake.close(),
  };
}

export const harnesses = [
  ["local", localHarness],
  ["github", githubHarness],
] as const;
