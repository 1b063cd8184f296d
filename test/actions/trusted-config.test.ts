import { symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";
import { runAction } from "../helpers/action.js";
import { project } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/** A noisy training set: the model it gives scores well under 0.8 accuracy on clean test rows. */
function rows(n: number, seed: number, flip = false): string {
  let s = seed;
  const random = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const lines = ["x1,x2,y"];
  for (let i = 0; i < n; i++) {
    const [a, b] = [random() * 2 - 1, random() * 2 - 1];
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${(a + b > 0) !== (flip && i % 2 === 0) ? "yes" : "no"}`);
  }
  return `${lines.join("\n")}\n`;
}
const configWith = (gate: string) =>
  [
    "version: 1",
    "name: toy",
    "data: { train: train.csv, test: test.csv, target: y }",
    "model: { hidden: [8], epochs: 10, batchSize: 32, learningRate: 0.02, dropout: 0 }",
    `gates: [${gate}]`,
    "",
  ].join("\n");
const STRICT = configWith("{ metric: accuracy, min: 0.8 }");
const LOOSE = configWith("{ metric: accuracy, min: 0.0 }");
const BASE = "b".repeat(40);
const HEAD = "c".repeat(40);
const DISPATCHED = "d".repeat(40);

describe("the evaluate action takes its gates from the base branch (dist/, as the runner runs it)", () => {
  let fake: FakeGitHub;
  /** `${ref}:${path}` -> modelgate.yml text served by the contents API. */
  const files = new Map<string, string>();
  let workspace: string;

  /** The contents API, for a test that expects the action to read the base's config (it must, once or more). */
  const serveContents = () =>
    fake.route("GET", "/repos/:owner/:repo/contents/:path*", (req) => {
      const text = files.get(`${req.query.get("ref")}:${req.params.path}`);
      if (text === undefined) return { status: 404, body: { message: "Not Found" } };
      const content = Buffer.from(text).toString("base64");
      return { body: { type: "file", encoding: "base64", path: req.params.path, content } };
    });

  beforeAll(async () => {
    // The pull request loosens its own gate; its model misses the base's 0.8.
    workspace = await project({
      "modelgate.yml": LOOSE,
      "train.csv": rows(400, 7, true),
      "test.csv": rows(200, 9),
    });
    const train = await runAction(
      "train",
      { out: "model" },
      { workspace, env: { GITHUB_EVENT_NAME: "push" } },
    );
    expect(train.code, train.stdout).toBe(0);
  }, 60_000);
  beforeEach(async () => {
    fake = await startFakeGitHub();
  });
  afterEach(async () => {
    await fake.close();
    fake.verify();
  });

  const env = (extra: Record<string, string>) => ({
    GITHUB_API_URL: fake.url,
    GITHUB_TOKEN: "t0ken",
    ...extra,
  });
  const contentsRefs = () =>
    fake.requests
      .filter((r) => r.path.includes("/contents/"))
      .map((r) => new URLSearchParams(r.search).get("ref"));
  const evaluate = (event: unknown, extra: Record<string, string>, inputs: Record<string, string> = {}) =>
    runAction(
      "evaluate",
      { model: "model", upload: "false", ...inputs },
      { workspace, event, env: env(extra) },
    );

  test("a push runs the commit's own gates and makes no API call", async () => {
    const run = await evaluate({}, { GITHUB_EVENT_NAME: "push" });

    expect(run.code, run.stdout).toBe(0);
    expect(fake.requests).toEqual([]);
  });

  test("a pull request that loosens its own gate is held to the base's gate (exit 1)", async () => {
    files.set(`${BASE}:modelgate.yml`, STRICT);
    serveContents();
    const event = { pull_request: { number: 4, base: { sha: BASE }, head: { sha: HEAD } } };

    const run = await evaluate(event, { GITHUB_EVENT_NAME: "pull_request" });

    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs.passed).toBe("false");
    expect(run.stdout).toContain("gate failed: accuracy min");
    expect(run.stdout).toContain("from modelgate.yml at the pull request's base (bbbbbbb)");
    expect(contentsRefs()).toEqual([BASE]);
  });

  test("the merge queue reads the gates at the group's base", async () => {
    files.set(`${BASE}:modelgate.yml`, STRICT);
    serveContents();

    const run = await evaluate(
      { merge_group: { base_sha: BASE, head_sha: HEAD } },
      { GITHUB_EVENT_NAME: "merge_group" },
    );

    expect(run.code, run.stdout).toBe(1);
    expect(contentsRefs()).toEqual([BASE]);
  });

  test("a dispatch takes the gates of the branch it was dispatched on, not the checked-out commit's", async () => {
    files.set(`${DISPATCHED}:modelgate.yml`, LOOSE);
    await writeFile(path.join(workspace, "modelgate.yml"), STRICT);
    serveContents();
    const event = { inputs: { command: "retrain", sha: HEAD, pull_request: "4" } };

    const loose = await evaluate(event, { GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_SHA: DISPATCHED });
    files.set(`${DISPATCHED}:modelgate.yml`, STRICT);
    await writeFile(path.join(workspace, "modelgate.yml"), LOOSE);
    const strict = await evaluate(event, { GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_SHA: DISPATCHED });

    expect(loose.code, loose.stdout).toBe(0);
    expect(strict.code, strict.stdout).toBe(1);
    expect(strict.stdout).toContain("at the dispatched branch (ddddddd)");
    expect(contentsRefs()).toEqual([DISPATCHED, DISPATCHED]);
  });

  test("no config at the base: says so, and the pull request's own gates are not used", async () => {
    await writeFile(path.join(workspace, "modelgate.yml"), STRICT);
    serveContents();
    const other = "e".repeat(40);

    const run = await evaluate(
      { pull_request: { base: { sha: other } } },
      { GITHUB_EVENT_NAME: "pull_request" },
    );

    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(
      "::warning::modelgate.yml is not on the pull request's base (eeeeeee): no gates apply; this commit's own gates are not used",
    );
    expect(run.summary).toContain("no gates apply");
    await writeFile(path.join(workspace, "modelgate.yml"), LOOSE);
  });

  test("a folder where the base's config should be is bad input (exit 2) naming it", async () => {
    fake.route("GET", "/repos/:owner/:repo/contents/:path*", () => ({
      body: [{ type: "file", name: "gates.yml", path: "modelgate.yml/gates.yml" }],
    }));

    const run = await evaluate(
      { pull_request: { base: { sha: BASE } } },
      { GITHUB_EVENT_NAME: "pull_request" },
    );

    expect(run.code, run.stdout).toBe(2);
    expect(run.stdout).toContain(
      `::error::modelgate.yml: modelgate.yml at ${BASE.slice(0, 12)} is not a file of at most 1 MB`,
    );
  });

  test("a pull request run with no token to read the base is bad input (exit 2)", async () => {
    const run = await runAction(
      "evaluate",
      { model: "model", upload: "false" },
      { workspace, event: { pull_request: { base: { sha: BASE } } }, env: { GITHUB_API_URL: fake.url } },
    );

    expect(run.code).toBe(2);
    expect(run.stdout).toContain("reading the base branch's gates needs a token");
  });

  test("config and schema paths outside the workspace exit 2, naming the input", async () => {
    const outside = path.join(await tempDir("mg-outside-"), "modelgate.yml");
    await writeFile(outside, STRICT);
    await symlink(outside, path.join(workspace, "linked.yml")).catch(() => undefined);
    const cases: [string, string, string][] = [
      ["evaluate", "config", outside],
      ["evaluate", "config", "../modelgate.yml"],
      ["evaluate", "config", "https://example.com/modelgate.yml"],
      ["evaluate", "config", "linked.yml"],
      ["train", "config", "/etc/modelgate.yml"],
      ["validate", "config", "sub/../../modelgate.yml"],
      ["validate", "schema", "file:///etc/schema.json"],
      ["drift", "config", "../x.yml"],
    ];

    for (const [action, name, value] of cases) {
      const run = await runAction(
        action,
        { model: "model", upload: "false", [name]: value },
        {
          workspace,
          env: env({ GITHUB_EVENT_NAME: "push" }),
        },
      );
      expect(run.code, `${action} ${name}=${value}: ${run.stdout}`).toBe(2);
      expect(run.stdout).toContain(`input '${name}'`);
    }
  }, 60_000);
});
