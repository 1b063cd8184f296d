import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { registryCommand } from "../../cli/commands/registry.js";
import { describeError } from "../../core/errors.js";
import { silentLogger } from "../../core/ports.js";
import { installGitData } from "../fake-github/git-data.js";
import { type FakeGitHub, startFakeGitHub } from "../fake-github/server.js";
import { modelFolder, tempDir } from "./harness.js";

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

const CONFIG = "version: 1\nname: churn\ndata: { train: data/train.csv, target: churned }\n";

describe("modelgate registry", () => {
  let fake: FakeGitHub | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("registers, lists, promotes, shows and rolls back on the local store", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "modelgate.yml"), CONFIG);
    const first = await modelFolder(1);

    const registered = await registry(["register", first, "--json"], cwd);
    await registry(["register", await modelFolder(2)], cwd);
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
    expect(table.stdout).toMatch(/^NAME\s+VERSION\s+ALIASES\s+CREATED\s+METRICS\n/);
    expect(table.stdout).toMatch(/churn\s+v2\s+champion/);
    expect(shown.stdout).toMatch(/^churn v2\n {2}aliases: {5}champion\n/);
    expect(shown.stdout).toContain("weights.bin");
    expect(JSON.parse(rolledBack.stdout)).toEqual({ name: "churn", alias: "champion", version: 1 });
  });

  it("exits 2 naming an unknown version and listing the ones that exist", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "modelgate.yml"), CONFIG);
    await registry(["register", await modelFolder(1)], cwd);

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
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "modelgate.yml"), `${CONFIG}registry: { store: github }\n`);
    const dir = await tempDir("mg-model-");
    await writeFile(path.join(dir, "model.json"), "{}");
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
