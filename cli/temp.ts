import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Temporary folders the CLI makes (a downloaded champion, a served registry version). Each is removed
 * when the command ends (cli/main.ts), when it is let go of, when the process exits, and on SIGINT or
 * SIGTERM: a command that stops gracefully on a signal (serve, bot) keeps its own handler and ends
 * normally; otherwise the folders go and the signal is raised again, so the exit status stays 128 + n.
 */
const folders = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let installed = false;

export async function tempFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  folders.add(dir);
  install();
  return dir;
}

/** Removes one folder now (e.g. the previous version after serve moved to a new one). */
export async function removeTempFolder(dir: string): Promise<void> {
  folders.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

/** Removes every folder still held; synchronous, so it also runs in an exit or signal handler. */
export function removeTempFolders(): void {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once("exit", removeTempFolders);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function onSignal(signal: NodeJS.Signals): void {
  removeTempFolders();
  // Someone else stops gracefully on this signal: the command ends and the process exits normally.
  if (process.listenerCount(signal) > 1) return;
  for (const s of SIGNALS) process.off(s, onSignal);
  installed = false;
  process.kill(process.pid, signal);
}
