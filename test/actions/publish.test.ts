import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { installGitData } from "../fake-github/git-data.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";
import { runAction } from "../helpers/action.js";
import { cli, project } from "../helpers/cli.js";

const OWNER = "octo-org";
const REPO = "churn";

function rows(n: number): string {
  const lines = ["x1,x2,y"];
  for (let i = 0; i < n; i++) {
    const a = ((i * 37) % 100) / 50 - 1;
    const b = ((i * 61) % 100) / 50 - 1;
    lines.push(`${a},${b},${a + b > 0 ? "yes" : "no"}`);
  }
  return `${lines.join("\n")}\n`;
}
const config = [
  "version: 1",
  "name: churn",
  "data: { train: train.csv, target: y }",
  "model: { hidden: [4], epochs: 3, backend: cpu }",
  "registry: { store: github }",
  "",
].join("\n");

/** A release with assets, as GitHub keeps them: upload to upload_url, list, delete. */
function installRelease(fake: FakeGitHub) {
  const assets = new Map<number, { id: number; name: string; size: number; digest: string; data: Buffer }>();
  let nextId = 1;
  let tag = "v1.0.0";
  const created: Array<{ tag_name: string; target_commitish: string }> = [];
  const release = () => ({
    id: 7,
    tag_name: tag,
    upload_url: `${fake.url}/uploads/repos/${OWNER}/${REPO}/releases/7/assets{?name,label}`,
    assets: [...assets.values()].map(({ data: _data, ...asset }) => asset),
  });
  fake.route("GET", "/repos/:owner/:repo/releases/tags/:tag", (req) =>
    req.params.tag === tag ? { body: release() } : { status: 404, body: { message: "Not Found" } },
  );
  fake.route(
    "POST",
    "/repos/:owner/:repo/releases",
    (req) => {
      const body = req.body as { tag_name: string; target_commitish: string };
      created.push(body);
      tag = body.tag_name;
      return { status: 201, body: release() };
    },
    { optional: true },
  );
  fake.route(
    "POST",
    "/uploads/repos/:owner/:repo/releases/7/assets",
    (req) => {
      const name = req.query.get("name")!;
      const id = nextId++;
      const digest = `sha256:${createHash("sha256").update(req.raw).digest("hex")}`;
      assets.set(id, { id, name, size: req.raw.length, digest, data: req.raw });
      return { status: 201, body: { id, name, size: req.raw.length } };
    },
    { optional: true },
  );
  fake.route(
    "DELETE",
    "/repos/:owner/:repo/releases/assets/:id",
    (req) => {
      assets.delete(Number(req.params.id));
      return { status: 204 };
    },
    { optional: true },
  );
  return Object.assign(assets, { created });
}

describe("actions/publish (dist/publish.js against the fake GitHub API)", () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await startFakeGitHub();
  });
  afterEach(async () => {
    await fake.close();
    fake.verify();
  });

  test("registers, uploads the model and its card, moves the alias; a re-run changes nothing", async () => {
    const git = installGitData(fake, OWNER, REPO);
    const assets = installRelease(fake);
    const workspace = await project({ "modelgate.yml": config, "train.csv": rows(120) });
    await cli(["train", "--out", "model"], workspace);
    const env = { GITHUB_TOKEN: "t", GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: `${OWNER}/${REPO}` };
    const event = { release: { tag_name: "v1.0.0" } };

    const first = await runAction("publish", { model: "model" }, { workspace, env, event });
    const uploadsAfterFirst = fake.requests.filter(
      (r) => r.method === "POST" && r.path.startsWith("/uploads"),
    ).length;
    const second = await runAction("publish", { model: "model" }, { workspace, env, event });

    expect(first.code, first.stdout).toBe(0);
    expect(first.outputs).toMatchObject({
      version: "1",
      changed: "true",
      assets: "churn-model.tar.gz,churn-model-card.md",
    });
    const names = [...assets.values()].map((a) => a.name).sort();
    expect(names).toEqual(["churn-model-card.md", "churn-model.tar.gz"]);
    const tar = gunzipSync([...assets.values()].find((a) => a.name.endsWith(".tar.gz"))!.data).toString(
      "latin1",
    );
    for (const file of ["model.json", "weights.bin", "modelgate.json"]) expect(tar).toContain(file);
    const card = [...assets.values()].find((a) => a.name.endsWith(".md"))!.data.toString();
    expect(card).toContain("# Model card: churn v1");
    expect(card).toContain("## Limitations");
    const branch = git.files("modelgate-registry");
    expect(JSON.parse(branch.get("models/churn/aliases.json")!.toString()).aliases).toEqual({ champion: 1 });
    expect(second.code).toBe(0);
    expect(second.outputs).toMatchObject({ version: "1", changed: "false" });
    expect(fake.requests.filter((r) => r.method === "POST" && r.path.startsWith("/uploads")).length).toBe(
      uploadsAfterFirst,
    );
  });

  test("an unknown release tag is a usage error naming it", async () => {
    installGitData(fake, OWNER, REPO);
    installRelease(fake);
    const workspace = await project({ "modelgate.yml": config, "train.csv": rows(60) });
    await cli(["train", "--out", "model"], workspace);
    const env = { GITHUB_TOKEN: "t", GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: `${OWNER}/${REPO}` };

    const run = await runAction("publish", { model: "model", tag: "v9" }, { workspace, env });

    expect(run.code).toBe(2);
    expect(run.stdout).toContain("no release with tag 'v9'");
  });

  test("dispatched by /modelgate promote (no release event), it creates the release at the promoted commit", async () => {
    installGitData(fake, OWNER, REPO);
    const release = installRelease(fake);
    const workspace = await project({ "modelgate.yml": config, "train.csv": rows(60) });
    await cli(["train", "--out", "model"], workspace);
    const env = { GITHUB_TOKEN: "t", GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: `${OWNER}/${REPO}` };
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const event = { inputs: { command: "promote", sha, pull_request: "12" } };

    const run = await runAction("publish", { model: "model" }, { workspace, env, event });

    expect(run.code, run.stdout).toBe(0);
    expect(release.created).toEqual([
      expect.objectContaining({ tag_name: "churn-0123456", target_commitish: sha, make_latest: "false" }),
    ]);
    expect([...release.values()].map((a) => a.name).sort()).toEqual([
      "churn-model-card.md",
      "churn-model.tar.gz",
    ]);
  });
});
