import { type ChildProcess, spawn } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../helpers/temp.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(repoRoot, "bin/modelgate.js");

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `modelgate ARGS` as a user runs it (bin/modelgate.js on dist/), in `cwd`. */
export function start(
  args: string[],
  cwd: string,
): { child: ChildProcess; done: Promise<Finished>; output: (pattern: RegExp) => Promise<string> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: cwd, TMPDIR: cwd },
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<Finished>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  /** Resolves once stdout + stderr match `pattern`; rejects if the process ends first. */
  const output = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout + stderr);
        if (match) resolve(match[0]);
        return match;
      };
      if (check()) return;
      const onData = () => {
        if (check()) {
          child.stdout!.off("data", onData);
          child.stderr!.off("data", onData);
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      done.then((result) => reject(new Error(`exited ${result.code} before ${pattern}: ${result.stderr}`)));
    });
  return { child, done, output };
}

export function modelgate(args: string[], cwd: string): Promise<Finished> {
  return start(args, cwd).done;
}

/** A project folder: modelgate.yml plus files. */
export async function project(config: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await tempDir("mg-lifecycle-");
  await writeFile(path.join(dir, "modelgate.yml"), config);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

/** Seeded churn-like rows: age, plan (basic/pro/max), charges, churned (yes when charges are high). */
export function churnCsv(rows = 300, edit?: (cells: string[], row: number) => void): string {
  let state = 12345;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ["age,plan,charges,churned"];
  for (let r = 0; r < rows; r++) {
    const charges = 10 + random() * 90;
    const cells = [
      String(18 + Math.floor(random() * 60)),
      ["basic", "pro", "max"][Math.floor(random() * 3)]!,
      charges.toFixed(2),
      charges > 60 !== random() < 0.1 ? "yes" : "no",
    ];
    edit?.(cells, r);
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** Every entry under `dir` (recursively), relative, so a test can say "nothing was left". */
export async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}
