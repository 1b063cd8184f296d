import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { run } from "../../cli/main.js";
import { tempDir } from "./temp.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams, as `modelgate ...` in `cwd`. */
export async function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

/** A temporary project folder holding the given files (removed after the test file). */
export async function project(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir("mg-project-");
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return dir;
}

/** `modelgate ...` as a user runs it: the bundled CLI (bin/modelgate.js, needs dist/) in a child process. */
export async function cliProcess(args: string[], cwd: string): Promise<CliRun> {
  const bin = path.resolve(import.meta.dirname, "../../bin/modelgate.js");
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
