import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pythonWithPackages, type Timed, timed } from "./timing.js";

/** The peers' own package (bench/peers/package.json): never dependencies of modelgate itself. */
export const PEERS_DIR = path.resolve(import.meta.dirname, "peers");

/** Runs per tool (median); `BENCH_RUNS`, default 3. */
export const RUNS = positive(process.env.BENCH_RUNS, 3);

/** Rows of the benchmark table; `BENCH_ROWS`, default 1M (~150 MB); 10M makes a 1.5 GB file. */
export const ROWS = positive(process.env.BENCH_ROWS, 1_000_000);

function positive(text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`expected a positive whole number, got "${text}"`);
  return value;
}

export type PeerName = "pandas" | "polars" | "duckdb";

/**
 * Which peers run: `BENCH_PEERS` (comma-separated, or `none`); by default all of them up to 2M rows, and
 * Polars and DuckDB beyond (pandas needs ~5 GB for the 10M-row file).
 */
export function chosenPeers(): PeerName[] {
  const all: PeerName[] = ["polars", "duckdb", "pandas"];
  const text = process.env.BENCH_PEERS;
  if (text === undefined || text === "") {
    if (ROWS <= 2_000_000) return all;
    console.log(
      `pandas skipped at ${ROWS.toLocaleString("en")} rows (BENCH_PEERS=polars,duckdb,pandas runs it)`,
    );
    return ["polars", "duckdb"];
  }
  if (text === "none") return [];
  const names = text.split(",").map((n) => n.trim());
  const unknown = names.filter((n) => !all.includes(n as PeerName));
  if (unknown.length > 0)
    throw new Error(`BENCH_PEERS: unknown peer ${unknown.join(", ")} (${all.join(", ")})`);
  return names as PeerName[];
}

/** One command timed side by side; `missing` says why it cannot run (its row says so, the bench goes on). */
export interface Contender {
  name: string;
  command: string;
  args: string[];
  missing?: string;
}

let installed: Promise<string | undefined> | undefined;

/**
 * Installs bench/peers (Polars, DuckDB) with `npm ci` when its node_modules is missing. Resolves to why
 * they are not there when that fails, else undefined.
 */
function installPeers(): Promise<string | undefined> {
  installed ??= (async () => {
    if (existsSync(path.join(PEERS_DIR, "node_modules"))) return undefined;
    console.log(
      "installing the peers (Polars, DuckDB): npm ci --prefix bench/peers (not modelgate dependencies)",
    );
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const run = spawnSync(npm, ["ci", "--prefix", PEERS_DIR, "--no-audit", "--no-fund", "--loglevel=error"], {
      encoding: "utf8",
    });
    if (run.status === 0) return undefined;
    const why = `${run.error?.message ?? ""}\n${run.stderr ?? ""}`.trim().split("\n").filter(Boolean);
    return `npm ci --prefix bench/peers failed: ${why.slice(0, 2).join(" ") || `exit ${run.status}`}`;
  })();
  return installed;
}

/** Why a peer's package cannot be loaded here, or undefined when it loads. */
async function nodePeerMissing(pkg: string): Promise<string | undefined> {
  const failed = await installPeers();
  if (failed) return failed;
  const probe = spawnSync(process.execPath, ["--input-type=module", "-e", `await import("${pkg}")`], {
    cwd: PEERS_DIR,
    encoding: "utf8",
  });
  if (probe.status === 0) return undefined;
  const line = (probe.stderr ?? "").split("\n").find((l) => /Error/.test(l)) ?? `exit ${probe.status}`;
  return `${pkg} does not load: ${line.trim().slice(0, 160)}`;
}

/** The peer's command for one of its scripts in bench/peers (`<peer>-<work>.mjs|.py`). */
export async function peerContender(
  peer: PeerName,
  work: "profile" | "drift",
  files: string[],
): Promise<Contender> {
  const label = { pandas: "pandas", polars: "Polars", duckdb: "DuckDB" }[peer];
  if (peer === "pandas") {
    const modules = work === "drift" ? ["pandas", "scipy"] : ["pandas"];
    const python = await pythonWithPackages(modules);
    const name = work === "drift" ? "pandas + scipy" : label;
    if (!python) {
      return {
        name,
        command: "",
        args: [],
        missing: `no python3 with ${modules.join(", ")} (apt-get install python3-${modules.join(" python3-")})`,
      };
    }
    return { name, command: python, args: [path.join(PEERS_DIR, `pandas-${work}.py`), ...files] };
  }
  const missing = await nodePeerMissing(peer === "polars" ? "nodejs-polars" : "@duckdb/node-api");
  return {
    name: label,
    command: process.execPath,
    args: [path.join(PEERS_DIR, `${peer}-${work}.mjs`), ...files],
    ...(missing ? { missing } : {}),
  };
}

export interface Measured {
  contender: Contender;
  runs: Timed[];
  /** Why it has no runs (not installed, or a run failed). */
  failure?: string;
}

/**
 * Every contender RUNS times, alternating (A B C A B C ...) so a change of machine load hits them alike.
 * A contender that fails once is dropped from later rounds with its reason.
 */
export async function measureAlternating(contenders: Contender[], runs = RUNS): Promise<Measured[]> {
  const results: Measured[] = contenders.map((contender) => ({
    contender,
    runs: [],
    ...(contender.missing ? { failure: `not installed: ${contender.missing}` } : {}),
  }));
  for (let round = 0; round < runs; round++) {
    for (const result of results) {
      if (result.failure) continue;
      const { command, args } = result.contender;
      const run = await timed(command, args, { anyExit: true });
      if (run.code === 0 || run.code === 1) result.runs.push(run);
      else result.failure = `failed (exit ${run.code}): ${lastLine(run.stderr)}`;
    }
  }
  return results;
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .findLast((l) => l.trim() !== "") ?? ""
  )
    .trim()
    .slice(0, 160);
}

export const median = (values: number[]): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const medianWall = (m: Measured) => median(m.runs.map((r) => r.seconds));
export const medianCpu = (m: Measured) => median(m.runs.map((r) => r.cpuSeconds));
/** The highest peak of its runs. */
export const peakRssMb = (m: Measured) => Math.max(...m.runs.map((r) => r.maxRssKb)) / 1024;

/**
 * One row per contender: median wall and CPU of its runs, peak RSS, and both as a ratio to `reference`
 * (the first row unless named); `detail` adds a column read from a run's output.
 */
export function printSideBySide(
  results: Measured[],
  detail?: { title: string; of: (run: Timed) => string },
  reference: Measured = results[0]!,
): void {
  const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
  console.table(
    results.map((m) => {
      if (m.runs.length === 0) return { tool: m.contender.name, "median wall s": m.failure ?? "no runs" };
      return {
        tool: m.contender.name,
        "median wall s": fixed(medianWall(m)),
        "median CPU s": fixed(medianCpu(m)),
        "peak RSS MB": fixed(peakRssMb(m), 0),
        "wall vs modelgate": m === reference ? "1" : `${fixed(medianWall(m) / medianWall(reference))}x`,
        "RSS vs modelgate": m === reference ? "1" : `${fixed(peakRssMb(m) / peakRssMb(reference))}x`,
        ...(detail ? { [detail.title]: detail.of(m.runs.at(-1)!) } : {}),
      };
    }),
  );
  console.log(
    `(${RUNS} run${RUNS === 1 ? "" : "s"} each, alternated; wall and CPU are medians, RSS the highest peak, whole processes)`,
  );
}

/** "this vs baseline" for BENCH_BASELINE: both medians and the difference in percent. */
export function compareToBaseline(label: string, mine: Measured, baseline: Measured, target?: number): void {
  if (mine.runs.length === 0 || baseline.runs.length === 0) {
    console.log(`${label}: no comparison (${mine.failure ?? baseline.failure})`);
    return;
  }
  const pct = (a: number, b: number) => `${a >= b ? "+" : ""}${((a / b - 1) * 100).toFixed(1)}%`;
  const [wall, baseWall] = [medianWall(mine), medianWall(baseline)];
  const [cpu, baseCpu] = [medianCpu(mine), medianCpu(baseline)];
  const within = (a: number, b: number) => (a <= b * (1 + target!) ? "within" : "NOT within");
  const verdict =
    target === undefined
      ? ""
      : ` -> wall ${within(wall, baseWall)} ${target * 100}%, CPU ${within(cpu, baseCpu)} ${target * 100}%`;
  console.log(
    `${label}, median of ${RUNS}: this ${wall.toFixed(2)} s wall / ${cpu.toFixed(2)} s CPU; ` +
      `baseline ${baseWall.toFixed(2)} s wall / ${baseCpu.toFixed(2)} s CPU ` +
      `(wall ${pct(wall, baseWall)}, CPU ${pct(cpu, baseCpu)})${verdict}`,
  );
}
