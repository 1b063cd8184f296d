import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

export interface Timed {
  seconds: number;
  /** Peak resident memory of the whole process (its threads included), in KB. */
  maxRssKb: number;
  /** User + system CPU seconds, every thread; NaN when it could not be read. */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
  code: number;
}

export interface TimedOptions {
  /** Return a failed run (exit other than 0 or 1) instead of throwing. */
  anyExit?: boolean;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Wall time, peak RSS and CPU of a whole command: GNU time (Debian package `time`) when it is there, else
 * /proc of the child polled every 50 ms (VmHWM, the kernel's own high-water mark, so only the last 50 ms
 * can be missed).
 */
export async function timed(command: string, args: string[], options: TimedOptions = {}): Promise<Timed> {
  const useGnuTime = existsSync(GNU_TIME);
  const [bin, argv] = useGnuTime ? [GNU_TIME, ["-f", "%e %M %U %S", command, ...args]] : [command, args];
  const started = performance.now();
  const child = spawn(bin, argv as string[]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const polled = { rssKb: Number.NaN, cpu: Number.NaN };
  const poll = useGnuTime ? undefined : setInterval(() => readProc(child.pid, polled), 50);
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  const lines = stderr.trimEnd().split("\n");
  const match = useGnuTime ? /^([\d.]+) (\d+) ([\d.]+) ([\d.]+)$/.exec(lines.at(-1) ?? "") : null;
  if (match) stderr = lines.slice(0, -1).join("\n");
  if (code !== 0 && code !== 1 && !options.anyExit) {
    throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${stderr}`);
  }
  return {
    seconds,
    maxRssKb: match ? Number(match[2]) : polled.rssKb,
    cpuSeconds: match ? Number(match[3]) + Number(match[4]) : polled.cpu,
    stdout,
    stderr,
    code,
  };
}

function readProc(pid: number | undefined, into: { rssKb: number; cpu: number }): void {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    if (hwm) into.rssKb = Number(hwm[1]);
    // Fields 14 and 15 of stat (after the parenthesised name): user and system time in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    into.cpu = (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {}
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

/** scripts/build.mjs's esbuild settings for dist/: a bench that bundles a driver starts up as a user's CLI does. */
export const AS_DIST = {
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
} as const;
