import { type ChildProcess, spawn } from "node:child_process";
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../helpers/action.js";
import { cli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/** Each test's own TMPDIR, so only this test's folders are counted. */
async function isolatedTmp(): Promise<string> {
  return tempDir("mg-tmpdir-");
}

const leftovers = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith("mg-"));

/** tsx by absolute URL: the children run in folders without node_modules. */
const TSX = import.meta.resolve("tsx");

/** Runs the CLI from source in a child process (as bin/modelgate.js runs dist/cli.js). */
function child(args: string[], cwd: string, env: Record<string, string>): ChildProcess {
  const script = `import { run } from ${JSON.stringify(path.join(repoRoot, "cli/main.ts"))};
process.exitCode = await run(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });`;
  return spawn(process.execPath, ["--import", TSX, "--input-type=module", "-e", script, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
}

function output(proc: ChildProcess, pattern: RegExp): Promise<string> {
  let seen = "";
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve(seen);
    };
    proc.stdout!.on("data", look);
    proc.stderr!.on("data", look);
    proc.once("exit", () => reject(new Error(`exited before ${pattern}:\n${seen}`)));
  });
}

describe("temp folders are removed", () => {
  let project: string;
  const previousTmp = process.env.TMPDIR;

  beforeAll(async () => {
    // examples/churn with two epochs, a model trained and registered as the champion.
    project = await tempDir("mg-temp-project-");
    await cp(path.join(repoRoot, "examples/churn"), project, { recursive: true });
    const config = path.join(project, "modelgate.yml");
    await writeFile(config, (await readFile(config, "utf8")).replace("epochs: 30", "epochs: 2"));
    for (const args of [
      ["train", "--out", "m1"],
      ["registry", "register", "m1"],
      ["registry", "promote", "churn", "1"],
    ]) {
      const run = await cli(args, project);
      if (run.code !== 0) throw new Error(`${args.join(" ")}: ${run.stderr}`);
    }
  }, 180_000);

  const restoreTmp = () => {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
  };
  afterAll(restoreTmp);

  test("evaluate against the registered champion leaves no mg-champion-* folder", async () => {
    const tmp = await isolatedTmp();
    process.env.TMPDIR = tmp;

    const run = await cli(["evaluate", "--model", "m1"], project);

    restoreTmp();
    expect(run.stderr).toContain("champion: churn v1");
    expect([0, 1]).toContain(run.code);
    expect(await leftovers(tmp)).toEqual([]);
  });

  test("serve --alias champion: the mg-serve-* folder is there while serving, gone after SIGTERM", async () => {
    const tmp = await isolatedTmp();
    const proc = child(["serve", "--alias", "champion", "--port", "0"], project, { TMPDIR: tmp });
    const done = exited(proc);

    await output(proc, /serving churn/);
    const during = await leftovers(tmp);
    proc.kill("SIGTERM");
    const { code } = await done;

    expect(during).toEqual([expect.stringMatching(/^mg-serve-/)]);
    expect(code).toBe(0);
    expect(await leftovers(tmp)).toEqual([]);
  }, 60_000);

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`a command without its own ${signal} handler: folders removed, the signal still ends it`, async () => {
      const tmp = await isolatedTmp();
      const script = `import { tempFolder } from ${JSON.stringify(path.join(repoRoot, "cli/temp.ts"))};
const dir = await tempFolder("mg-champion-"); console.log("made " + dir); setInterval(() => {}, 1000);`;
      const proc = spawn(process.execPath, ["--import", TSX, "--input-type=module", "-e", script], {
        env: { ...process.env, TMPDIR: tmp },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const done = exited(proc);

      await output(proc, /made /);
      const during = await leftovers(tmp);
      proc.kill(signal);
      const result = await done;

      expect(during).toEqual([expect.stringMatching(/^mg-champion-/)]);
      expect(result).toEqual({ code: null, signal });
      expect(await leftovers(tmp)).toEqual([]);
    }, 30_000);
  }
});
