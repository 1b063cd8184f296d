import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { runAction } from "../helpers/action.js";
import { project } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

const config = [
  "version: 1",
  "name: toy",
  "data: { train: train.csv, target: y }",
  "model: { hidden: [4], epochs: 2, batchSize: 16, learningRate: 0.02, dropout: 0 }",
  "",
].join("\n");
const rows = (n: number) =>
  `x1,x2,y\n${Array.from({ length: n }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 2 ? "yes" : "no"}`).join("\n")}\n`;

/** The failure line the runner shows (`::error::...`), without the stack a bug would print. */
const failure = (stdout: string) => stdout.split("\n").filter((line) => line.startsWith("::error::"));

describe("the runner's environment, parsed in one place (actions/runtime.ts), as the runner runs the actions", () => {
  let workspace: string;
  beforeAll(async () => {
    workspace = await project({ "modelgate.yml": config, "train.csv": rows(60) });
  });

  test("a garbled GITHUB_API_URL is bad input (exit 2) naming the variable, in any step", async () => {
    const run = await runAction("validate", {}, { workspace, env: { GITHUB_API_URL: "not a url" } });

    expect(run.code, run.stdout).toBe(2);
    expect(failure(run.stdout)).toEqual([
      "::error::env.GITHUB_API_URL: the runner's environment: expected the API's URL, found 'not a url'",
    ]);
  });

  test("publish without GITHUB_REPOSITORY, or with a garbled one, is bad input naming it", async () => {
    const env = { GITHUB_TOKEN: "t", GITHUB_API_URL: "http://127.0.0.1:9" };

    const unset = await runAction(
      "publish",
      { model: "model" },
      { workspace, env: { ...env, GITHUB_REPOSITORY: "" } },
    );
    const garbled = await runAction(
      "publish",
      { model: "model" },
      { workspace, env: { ...env, GITHUB_REPOSITORY: "no-slash" } },
    );

    expect(unset.code, unset.stdout).toBe(2);
    expect(failure(unset.stdout)).toEqual([
      "::error::env.GITHUB_REPOSITORY: GITHUB_REPOSITORY is not set: run this step on a GitHub Actions runner",
    ]);
    expect(garbled.code, garbled.stdout).toBe(2);
    expect(failure(garbled.stdout)[0]).toContain(
      "env.GITHUB_REPOSITORY: the runner's environment: expected owner/repo",
    );
  });

  test("a garbled event file is bad input naming the file (publish read it leniently before)", async () => {
    const file = path.join(await tempDir("mg-event-"), "event.json");
    await writeFile(file, "{ not json");

    const run = await runAction(
      "publish",
      { model: "model" },
      {
        workspace,
        env: { GITHUB_TOKEN: "t", GITHUB_API_URL: "http://127.0.0.1:9", GITHUB_EVENT_PATH: file },
      },
    );

    expect(run.code, run.stdout).toBe(2);
    expect(failure(run.stdout)).toEqual([`::error::${file}: GITHUB_EVENT_PATH: the event file is not JSON`]);
  });

  test("a dispatched evaluate with a garbled GITHUB_SHA is bad input, not a crash", async () => {
    const run = await runAction(
      "evaluate",
      { model: "model", upload: "false" },
      { workspace, env: { GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_SHA: "main" } },
    );

    expect(run.code, run.stdout).toBe(2);
    expect(failure(run.stdout)[0]).toContain(
      "env.GITHUB_SHA: the runner's environment: expected a 40-character commit SHA",
    );
  });
});

describe("the train action's force input (the CLI's --force)", () => {
  test("a non-empty out is refused naming the inputs; force: true replaces it; a bad value names force", async () => {
    const workspace = await project({
      "modelgate.yml": config,
      "train.csv": rows(60),
      "model/keep.txt": "mine",
    });

    const refused = await runAction("train", { out: "model" }, { workspace });
    const garbled = await runAction("train", { out: "model", force: "yes" }, { workspace });
    const forced = await runAction("train", { out: "model", force: "true" }, { workspace });

    expect(refused.code, refused.stdout).toBe(2);
    expect(failure(refused.stdout)).toEqual([
      `::error::${path.join(workspace, "model")}: with.out: folder is not empty (1 entries); pass force: true to replace it, or choose another folder`,
    ]);
    expect(garbled.code).toBe(2);
    expect(failure(garbled.stdout)[0]).toContain("with.force");
    expect(forced.code, forced.stdout).toBe(0);
    expect(forced.outputs.model).toBe(path.join(workspace, "model"));
  });
});
