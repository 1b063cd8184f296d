import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { BENCH_DIR } from "./data.js";

/** One wrk run: requests/s, latency percentiles in ms, non-2xx responses, requests done. */
export interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

/** CPU sets for the servers and for wrk: apart when taskset and two cores are there. */
export interface Pinning {
  server: string[];
  client: string[];
  said: string;
}

export async function pinning(): Promise<Pinning> {
  const cores = availableParallelism();
  const taskset = await runs("taskset", ["-V"]);
  if (taskset && cores >= 2) {
    return {
      server: ["taskset", "-c", "0"],
      client: ["taskset", "-c", "1"],
      said: `pinned with taskset: servers on CPU 0, wrk on CPU 1 (of ${cores})`,
    };
  }
  const why = taskset ? `only ${cores} CPU` : "taskset not found (Debian package util-linux)";
  return { server: [], client: [], said: `not pinned (${why}): wrk and the server share the CPUs` };
}

export async function hasWrk(): Promise<boolean> {
  // `wrk --version` prints its version and exits 1.
  return promisify(execFile)("wrk", ["--version"]).then(
    () => true,
    (error: { stdout?: string }) => Boolean(error.stdout?.includes("wrk")),
  );
}

async function runs(command: string, args: string[]): Promise<boolean> {
  return promisify(execFile)(command, args).then(
    () => true,
    () => false,
  );
}

/** POSTs `body` to `url` from `connections` keep-alive connections (one wrk thread) for `seconds`. */
export async function wrk(
  pin: Pinning,
  url: string,
  body: string,
  options: { connections: number; seconds: number },
): Promise<Load> {
  const script = path.join(BENCH_DIR, "serve", `post-${process.pid}.lua`);
  await writeFile(
    script,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [==[${body}]==]\n`,
  );
  const [bin, ...pre] = [...pin.client, "wrk"];
  const args = [
    ...pre,
    "-t1",
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--latency",
    "-s",
    script,
  ];
  const { stdout } = await promisify(execFile)(bin!, [...args, url], { maxBuffer: 1 << 20 }).finally(() =>
    rm(script, { force: true }),
  );
  const latency = (p: string) => toMs(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(stdout));
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN),
    p50: latency("50"),
    p99: latency("99"),
    errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0),
    requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? Number.NaN),
  };
}

function toMs(match: RegExpExecArray | null): number {
  if (!match) return Number.NaN;
  const scale = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
  return Number(match[1]) * scale;
}

export interface Server {
  name: string;
  child: ChildProcess;
  url: string;
}

/** Starts a server process (pinned) and waits for its first stdout line: its URL, or JSON with `url`. */
export function startServer(name: string, pin: Pinning, argv: string[]): Promise<Server> {
  const [bin, ...args] = [...pin.server, ...argv];
  const child = spawn(bin!, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const end = out.indexOf("\n");
      if (end < 0) return;
      const line = out.slice(0, end).trim();
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      resolve({ name, child, url: line.startsWith("{") ? JSON.parse(line).url : line });
    });
    child.on("exit", (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
}

/** Stops a server and waits for it to exit (a --cpu-prof profile is written on the way out). */
export function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.child.removeAllListeners("exit");
    server.child.once("exit", () => resolve());
    server.child.kill("SIGTERM");
  });
}

/** User + system CPU seconds a process has used so far, from /proc (Linux); NaN elsewhere. */
export async function cpuOf(pid: number | undefined): Promise<number> {
  const stat = pid && existsSync(`/proc/${pid}/stat`) ? await readFile(`/proc/${pid}/stat`, "utf8") : "";
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

// Linux's USER_HZ, the unit of /proc/PID/stat times, is 100 on every common architecture.
const CLOCK_TICKS = 100;

/** Resident and peak resident memory of a process, in bytes, from /proc (Linux). */
export async function memoryOf(pid: number | undefined): Promise<{ rss: number; peak: number }> {
  const status =
    pid && existsSync(`/proc/${pid}/status`) ? await readFile(`/proc/${pid}/status`, "utf8") : "";
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
}

/**
 * Self time from .cpuprofile files (node --cpu-prof): the share of the samples of the last `seconds`
 * before each profile ended (the load, not start-up) spent in each function's own code, or summed by
 * area (modelgate, its dependencies, WebAssembly, Node's internals, native), largest first, idle left out.
 */
export async function selfTimes(
  files: string[],
  options: { top: number; seconds: number; by: "function" | "area" },
): Promise<{ share: number; where: string }[]> {
  const keyOf = options.by === "area" ? areaOf : nameOf;
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
    const names = new Map(profile.nodes.map((n) => [n.id, keyOf(n.callFrame)]));
    const from = profile.endTime - options.seconds * 1e6;
    let time = profile.startTime;
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      time += dt;
      const where = names.get(id) ?? "?";
      if (time < from || where === "(idle)") return;
      totals.set(where, (totals.get(where) ?? 0) + dt);
      all += dt;
    });
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.top)
    .map(([where, time]) => ({ where, share: time / all }));
}

interface CpuProfile {
  startTime: number;
  endTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function nameOf(frame: CpuProfile["nodes"][number]["callFrame"]): string {
  const file = frame.url.replace(/^file:\/\/.*\/node_modules\//, "").replace(/^file:\/\/.*\//, "");
  const name = frame.functionName || "(anonymous)";
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

function areaOf(frame: CpuProfile["nodes"][number]["callFrame"]): string {
  const url = frame.url;
  if (url.includes("/node_modules/")) return "dependencies";
  if (url.startsWith("file:")) return "modelgate";
  if (url.startsWith("wasm:")) return "WebAssembly";
  if (url.startsWith("node:")) return "Node internals";
  const name = frame.functionName;
  return ["(idle)", "(program)", "(garbage collector)", "writev"].includes(name) ? name : "other native";
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
