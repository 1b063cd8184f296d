import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { registryCommand } from "../../cli/commands/registry.js";
import { describeError } from "../../core/errors.js";
import { silentLogger } from "../../core/ports.js";
import { installGitData } from "../fake-github/git-data.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";
import { projectCsv, tempDir, trainedFolder } from "./harness.js";

/** `modelgate registry ...` in-process, parsed and error-mapped the way cli/main.ts does it. */
async function registry(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
    cwd,
  };
  let code: number;
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...registryCommand.flags, json: { type: "boolean" }, config: { type: "string" } },
      allowPositionals: true,
    });
    const ctx = {
      io,
      logger: silentLogger,
      json: values.json === true,
      configFile: values.config as string | undefined,
    };
    code = await registryCommand.run(positionals, values, ctx);
  } catch (error) {
    const described = describeError(error);
    stderr += `${described.message}\n`;
    code = described.exitCode;
  }
  return { code, stdout, stderr };
}

const CONFIG =
  "version: 1\nname: churn\ndata: { train: data/train.csv, target: label }\nmodel: { backend: wasm }\n";

/** A project folder with its config and training data, so `register` can score a model on the test rows. */
async function projectDir(config = CONFIG): Promise<string> {
  const cwd = await tempDir();
  await writeFile(path.join(cwd, "modelgate.yml"), config);
  await mkdir(path.join(cwd, "data"));
  await writeFile(path.join(cwd, "data", "train.csv"), projectCsv());
  return cwd;
}

describe("modelgate registry", () => {
  let fake: FakeGitHub | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("registers, lists, promotes, shows and rolls back on the local store", async () => {
    const cwd = await projectDir();
    const first = await trainedFolder(1);

    const registered = await registry(["register", first, "--json"], cwd);
    await registry(["register", await trainedFolder(2)], cwd);
    await registry(["promote", "churn", "1"], cwd);
    const promoted = await registry(["promote", "churn", "v2", "--reason", "better f1", "--json"], cwd, {
      USER: "carol",
    });
    const listed = await registry(["list", "--json"], cwd);
    const table = await registry(["list"], cwd);
    const shown = await registry(["show", "churn", "champion"], cwd);
    const rolledBack = await registry(["rollback", "churn", "--json"], cwd);

    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({
      name: "churn",
      version: 1,
      runId: "run-1",
      source: first,
    });
    expect(JSON.parse(promoted.stdout)).toEqual({
      name: "churn",
      alias: "champion",
      version: 2,
      previous: 1,
    });
    const list = JSON.parse(listed.stdout);
    expect(list.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(list.aliases).toEqual({ churn: { champion: 2 } });
    expect(table.stdout).toMatch(/^NAME\s+VERSION\s+ALIASES\s+CREATED\s+TEST DATA\s+METRICS\n/);
    // Scored on the project's test rows: evaluation metrics and the test data's fingerprint.
    expect(list.versions[0].metrics).toEqual(
      expect.objectContaining({ accuracy: expect.any(Number), f1_macro: expect.any(Number) }),
    );
    expect(list.versions[0].dataFingerprints.test).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(table.stdout).toMatch(/churn\s+v1\s+\S+\s+[0-9a-f]{12}\s+accuracy=/);
    expect(table.stdout).toMatch(/churn\s+v2\s+champion/);
    expect(shown.stdout).toMatch(/^churn v2\n {2}aliases: {5}champion\n/);
    expect(shown.stdout).toContain("weights.bin");
    expect(JSON.parse(rolledBack.stdout)).toEqual({ name: "churn", alias: "champion", version: 1 });
  });

  it("refuses a folder that is not a model, and another project's model, copying nothing", async () => {
    const cwd = await projectDir();
    const csvs = await tempDir("mg-csvs-");
    await writeFile(path.join(csvs, "a.csv"), "x,y\n1,2\n");
    await writeFile(path.join(csvs, "b.csv"), "x,y\n3,4\n");
    const other = await trainedFolder(3, "fraud");

    const notModel = await registry(["register", csvs], cwd);
    const otherProject = await registry(["register", other], cwd);
    const listed = await registry(["list", "--json"], cwd);

    expect(notModel.code).toBe(2);
    expect(notModel.stderr).toMatch(
      /modelgate\.json: not a model folder \(no such file\); register a folder written by 'modelgate train'/,
    );
    expect(otherProject.code).toBe(2);
    expect(otherProject.stderr).toContain(
      'this model was trained by project "fraud" (its run record), not "churn"',
    );
    expect(JSON.parse(listed.stdout).versions).toEqual([]);
    expect(await readdir(path.join(cwd, ".modelgate")).catch(() => [])).not.toContain("models");
  });

  it("refuses a model whose weights are not finite", async () => {
    const cwd = await projectDir();
    const dir = await trainedFolder(4);
    const weights = await readFile(path.join(dir, "weights.bin"));
    weights.writeFloatLE(Number.NaN, 8);
    await writeFile(path.join(dir, "weights.bin"), weights);

    const result = await registry(["register", dir], cwd);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/weights\.bin: weight \S+ holds NaN: the model diverged in training/);
  });

  it("exits 2 naming an unknown version and listing the ones that exist", async () => {
    const cwd = await projectDir();
    await registry(["register", await trainedFolder(1)], cwd);

    const result = await registry(["show", "churn", "v9"], cwd);
    const badSub = await registry(["delete", "churn"], cwd);

    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "version: model 'churn' has no version v9; versions: v1\n",
    });
    expect(badSub.code).toBe(2);
    expect(badSub.stderr).toContain(
      "expected one of list, show, promote, rollback, register, found 'delete'",
    );
  });

  it("uses the github store from the config, with the token and API URL from the environment", async () => {
    fake = await startFakeGitHub();
    const git = installGitData(fake, "acme", "churn");
    const cwd = await projectDir(`${CONFIG}registry: { store: github }\n`);
    const dir = await trainedFolder(1);
    const env = { GITHUB_TOKEN: "t0ken", GITHUB_API_URL: fake.url };

    const missingRepo = await registry(["list"], cwd, env);
    const registered = await registry(["register", dir, "--repo", "acme/churn", "--json"], cwd, env);
    const listed = await registry(["list", "--json"], cwd, { ...env, GITHUB_REPOSITORY: "acme/churn" });
    const noToken = await registry(["list"], cwd, { GITHUB_REPOSITORY: "acme/churn" });

    expect(missingRepo.code).toBe(2);
    expect(missingRepo.stderr).toContain("--repo");
    expect(JSON.parse(registered.stdout)).toMatchObject({ name: "churn", version: 1 });
    expect(JSON.parse(listed.stdout).versions).toHaveLength(1);
    expect([...git.files("modelgate-registry").keys()]).toContain("models/churn/versions/1/model.json");
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^GITHUB_TOKEN: /);
  });
});
