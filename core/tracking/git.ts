import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The commit and dirty flag of the repository holding `cwd`; undefined outside a git checkout. */
export async function gitInfo(cwd: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  try {
    const { stdout: commit } = await run("git", ["rev-parse", "HEAD"], { cwd });
    const { stdout: status } = await run("git", ["status", "--porcelain", "--untracked-files=no"], { cwd });
    return { commit: commit.trim(), dirty: status.trim().length > 0 };
  } catch {
    return undefined;
  }
}
