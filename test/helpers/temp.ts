import { mkdtempSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

/**
 * The one way tests make temporary folders: each is removed after the test file's last test (the hook is
 * registered on the file that imports this module; vitest evaluates it once per file).
 */
const made = new Set<string>();

afterAll(async () => {
  const dirs = [...made];
  made.clear();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function tempDir(prefix = "mg-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

export function tempDirSync(prefix = "mg-test-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Folders made and not yet removed (the helper's own test reads it). */
export function tempDirsHeld(): string[] {
  return [...made];
}

/** Removes a folder now (a test that checks what is left behind). */
export function removeTempDir(dir: string): void {
  made.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}
