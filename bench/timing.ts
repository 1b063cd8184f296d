import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export interface Timed {
  seconds: number;
  maxRssKb: number;
  /** User + system CPU seconds (GNU time); NaN without it. */
  cpuSeconds: number;
  stdout: string;
  code: number;
}

/** Wall time and peak RSS of a whole command, measured by GNU time (Debian package `time`). */
export async function timed(command: string, args: string[]): Promise<Timed> {
  const useGnuTime = existsSync("/usr/bin/time");
  const [bin, argv] = useGnuTime
    ? ["/usr/bin/time", ["-f", "%e %M %U %S", command, ...args]]
    : [command, args];
  const started = performance.now();
  const child = spawn(bin, argv as string[]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  const seconds = (performance.now() - started) / 1000;
  const last = stderr.trim().split("\n").at(-1) ?? "";
  const match = /^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$/.exec(last);
  if (code !== 0 && code !== 1) throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${stderr}`);
  return {
    seconds,
    maxRssKb: match ? Number(match[2]) : Number.NaN,
    cpuSeconds: match ? Number(match[3]) + Number(match[4]) : Number.NaN,
    stdout,
    code,
  };
}

/** Debian's python3 (the pyenv one on PATH lacks Debian's packages) when it has the given modules. */
export async function pythonWithPackages(modules: string[]): Promise<string | undefined> {
  for (const python of ["/usr/bin/python3", "python3"]) {
    try {
      // Exit 0 only: timed() lets exit 1 through (a failed check), and a missing module exits 1.
      const probe = await timed(python, ["-c", modules.map((m) => `import ${m}`).join("; ")]);
      if (probe.code === 0) return python;
    } catch {}
  }
  return undefined;
}
