import { open, rm, stat } from "node:fs/promises";
import { UserError } from "../errors.js";

export interface LockOptions {
  /** Give up waiting after this long. */
  timeoutMs?: number;
  /** A lock file older than this was left by a crashed process; registry writes take well under a second. */
  staleMs?: number;
}

/**
 * Runs `work` holding an exclusive lock file. `open(..., "wx")` is atomic on local file systems, so
 * exactly one process creates the file; the others back off with jitter and try again.
 */
export async function withLock<T>(
  file: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 30_000;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const age = await stat(file).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    // Two waiters may both judge the same file stale; the window is one stat, and only after a crash.
    if (age > staleMs) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new UserError(`registry is locked by another process; delete the lock file if none is running`, {
        file,
      });
    }
    const ceiling = Math.min(200, 5 * 2 ** Math.min(attempt, 6));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}
