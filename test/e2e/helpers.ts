import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { Octokit } from "octokit";
import type { Payload } from "../bot/helpers.js";
import type { FakeGitHub } from "../fake-github/server.js";
import { repoRoot } from "../helpers/action.js";
import { tempDir } from "../helpers/temp.js";

export const OWNER = "octo-org";
export const REPO = "churn";
export const RELEASE_TAG = "v1.0.0";

const git = promisify(execFile);

export interface Workspace {
  dir: string;
  /** `main`: the base of the pull request. */
  base: string;
  /** `feature`: the pull request's head, checked out. */
  head: string;
  /** modelgate.yml as committed on `main`: the gates the bot must use. */
  baseConfig: string;
}

/** Replaces `from` with `to`, loudly: a silent no-op would quietly change what the test checks. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`examples/churn/modelgate.yml no longer holds '${from}'`);
  return text.replace(from, to);
}

/**
 * examples/churn as a repository of its own: `main` with the example (few epochs, registry on GitHub),
 * and `feature` checked out: a pull request that makes the network smaller and drops the f1_macro gate,
 * which the bot must not let it do (gates come from the base branch).
 */
export async function churnWorkspace(): Promise<Workspace> {
  const dir = await tempDir("mg-e2e-");
  const example = path.join(repoRoot, "examples/churn");
  // The example's own .modelgate/ holds a local champion; this repository starts without one.
  await cp(example, dir, {
    recursive: true,
    filter: (src) => !src.startsWith(path.join(example, ".modelgate")),
  });
  const file = path.join(dir, "modelgate.yml");
  const baseConfig = `${edit(await readFile(file, "utf8"), "epochs: 30", "epochs: 4")}registry: { store: github }\n`;
  await writeFile(file, baseConfig);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "e2e",
    GIT_AUTHOR_EMAIL: "e2e@example.com",
    GIT_COMMITTER_NAME: "e2e",
    GIT_COMMITTER_EMAIL: "e2e@example.com",
  };
  const run = async (...args: string[]) =>
    (await git("git", ["-c", "commit.gpgsign=false", ...args], { cwd: dir, env })).stdout.trim();
  await run("init", "-q", "-b", "main");
  await run("add", "-A");
  await run("commit", "-q", "-m", "churn model");
  const base = await run("rev-parse", "HEAD");
  await run("switch", "-q", "-c", "feature");
  const headConfig = edit(baseConfig, "hidden: [32, 16]", "hidden: [16, 8]");
  await writeFile(file, edit(headConfig, "  - { metric: f1_macro, maxDrop: 0.02 }\n", ""));
  await run("commit", "-q", "-am", "smaller network, one gate fewer");
  return { dir, base, head: await run("rev-parse", "HEAD"), baseConfig };
}

/** A delivery from @octokit/webhooks-examples, moved to the test's repository. */
export function inRepo(payload: Payload): Payload {
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.repository.owner.login = OWNER;
  payload.repository.default_branch = "main";
  return payload;
}

/** `main` on the fake Git data API: what the drift action branches its retraining pull request from. */
export async function seedMain(fake: FakeGitHub, token: string, files: Record<string, string>) {
  const octokit = new Octokit({ auth: token, baseUrl: fake.url, retry: { enabled: false } });
  const repo = { owner: OWNER, repo: REPO };
  const tree = await octokit.request("POST /repos/{owner}/{repo}/git/trees", {
    ...repo,
    tree: Object.entries(files).map(([p, content]) => ({
      path: p,
      mode: "100644" as const,
      type: "blob" as const,
      content,
    })),
  });
  const commit = await octokit.request("POST /repos/{owner}/{repo}/git/commits", {
    ...repo,
    message: "churn model",
    tree: tree.data.sha,
    parents: [],
  });
  await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
    ...repo,
    ref: "refs/heads/main",
    sha: commit.data.sha,
  });
}

export interface Asset {
  id: number;
  name: string;
  size: number;
  digest: string;
  data: Buffer;
}

/** A published release with assets, as GitHub keeps them (copied from test/actions/publish.test.ts). */
export function installRelease(fake: FakeGitHub): Map<number, Asset> {
  const assets = new Map<number, Asset>();
  let nextId = 1;
  const release = () => ({
    id: 7,
    tag_name: RELEASE_TAG,
    upload_url: `${fake.url}/uploads/repos/${OWNER}/${REPO}/releases/7/assets{?name,label}`,
    assets: [...assets.values()].map(({ data: _data, ...asset }) => asset),
  });
  fake.route("GET", "/repos/:owner/:repo/releases/tags/:tag", (req) =>
    req.params.tag === RELEASE_TAG ? { body: release() } : { status: 404, body: { message: "Not Found" } },
  );
  fake.route("POST", "/uploads/repos/:owner/:repo/releases/7/assets", (req) => {
    const name = req.query.get("name")!;
    const id = nextId++;
    const digest = `sha256:${createHash("sha256").update(req.raw).digest("hex")}`;
    assets.set(id, { id, name, size: req.raw.length, digest, data: req.raw });
    return { status: 201, body: { id, name, size: req.raw.length } };
  });
  fake.route(
    "DELETE",
    "/repos/:owner/:repo/releases/assets/:id",
    (req) => {
      assets.delete(Number(req.params.id));
      return { status: 204 };
    },
    { optional: true },
  );
  return assets;
}

/**
 * Live data months later, shifted in most columns so dataset drift is certain (the example's own
 * live.csv drifts in 3 of 8 columns, under the 0.5 threshold): older customers, higher charges,
 * one region, one contract type.
 */
export function shiftLive(csv: string): string {
  const [header = "", ...rows] = csv.trimEnd().split("\n");
  const at = (name: string) => header.split(",").indexOf(name);
  const [age, charges, region, contract] = ["age", "monthly_charges", "region", "contract"].map(at);
  const shifted = rows.map((line) => {
    const cells = line.split(",");
    cells[age!] = String(Math.min(100, Number(cells[age!]) + 25));
    if (cells[charges!] !== "") cells[charges!] = (Number(cells[charges!]) * 2).toFixed(2);
    cells[region!] = "north";
    cells[contract!] = "month-to-month";
    return cells.join(",");
  });
  return `${[header, ...shifted].join("\n")}\n`;
}

export interface Served {
  url: string;
  version: string;
  stop(): Promise<void>;
}

/** `modelgate serve --alias champion --port 0 --json` as a user runs it, until its JSON line says where. */
export async function serveAlias(cwd: string, env: Record<string, string>): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, "bin/modelgate.js"), "serve", "--alias", "champion", "--port", "0", "--json"],
    { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, ...env } },
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const started = await new Promise<{ url: string; version: string }>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const line = stdout.split("\n", 1)[0]!;
      if (stdout.includes("\n")) resolve(JSON.parse(line) as { url: string; version: string });
    });
    exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve did not start in 30 s: ${stderr}`));
    }, 30_000).unref();
  });
  return {
    ...started,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
