import { existsSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ModelConfig } from "../core/config/schema.js";
import type { Cell } from "../core/data/types.js";
import { saveModel, type Table, trainModel } from "../core/model/index.js";
import { prng } from "../core/model/random.js";
import { silentLogger } from "../core/ports.js";
import { BENCH_DIR } from "./data.js";
import {
  cpuOf,
  hasWrk,
  type Load,
  median,
  memoryOf,
  type Pinning,
  pinning,
  type Server,
  selfTimes,
  startServer,
  stopServer,
  wrk,
} from "./serve-load.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SOAK = Number(process.env.BENCH_SERVE_SOAK ?? 100_000);
const CONNECTIONS = 32;
const COLUMNS = ["age", "income", "tenure", "calls", "score", "plan", "region", "promo"];

// The floor any Node server stands on: reads the body, answers a constant of the same size as ours.
const NOOP = `
const http = require("node:http");
const body = process.argv[1];
http.createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(0, "127.0.0.1", function () { console.log("http://127.0.0.1:" + this.address().port); });
process.on("SIGTERM", () => process.exit(0));
`;

/**
 * modelgate's server (the bundled CLI, `modelgate serve`) against a no-op Node http server, both under
 * wrk at 32 connections with single-row predictions, alternating run by run; then a soak of SOAK requests.
 */
export async function benchServe(): Promise<void> {
  if (!existsSync(path.join(ROOT, "dist/cli.js"))) {
    console.log("dist/cli.js is missing: run `npm run build` first (the bench serves with the bundled CLI)");
    return;
  }
  if (!(await hasWrk())) {
    console.log("wrk is not installed: apt-get install -y wrk (Debian package wrk)");
    return;
  }
  const pin = await pinning();
  const { modelDir, bodies } = await prepare();
  const path_ = "/v1/models/churn:predict";
  const cli = [process.execPath, path.join(ROOT, "bin/modelgate.js"), "serve", "--model", modelDir];
  const ours = await startServer("modelgate", pin, [...cli, "--name", "churn", "--port", "0", "--json"]);
  const answer = await (await fetch(`${ours.url}${path_}`, { method: "POST", body: bodies.one })).text();
  const noop = await startServer("no-op", pin, [process.execPath, "-e", NOOP, answer]);
  console.log(
    `${pin.said}; ${RUNS} runs of ${SECONDS} s each side, alternating, at ${CONNECTIONS} connections`,
  );
  try {
    for (const server of [ours, noop])
      await wrk(pin, `${server.url}${path_}`, bodies.one, { connections: CONNECTIONS, seconds: 2 });
    const loads: Record<string, Measured[]> = { modelgate: [], "no-op": [] };
    for (let run = 0; run < RUNS; run++) {
      for (const server of run % 2 ? [noop, ours] : [ours, noop]) {
        const cpu = await cpuOf(server.child.pid);
        const load = await wrk(pin, `${server.url}${path_}`, bodies.one, {
          connections: CONNECTIONS,
          seconds: SECONDS,
        });
        const perRequest = ((await cpuOf(server.child.pid)) - cpu) / load.requests;
        loads[server.name]!.push({ ...load, perRequest });
      }
    }
    await report(loads, ours, noop);
    const hundred = await wrk(pin, `${ours.url}${path_}`, bodies.hundred, {
      connections: CONNECTIONS,
      seconds: SECONDS,
    });
    console.log(
      `modelgate, 100 rows a request: ${Math.round(hundred.rps).toLocaleString("en")} req/s ` +
        `(${Math.round(hundred.rps * 100).toLocaleString("en")} rows/s), p50 ${hundred.p50.toFixed(2)} ms, p99 ${hundred.p99.toFixed(2)} ms`,
    );
    if (SOAK > 0) await soak(pin, ours, `${ours.url}${path_}`, bodies.one);
  } finally {
    await Promise.all([stopServer(ours), stopServer(noop)]);
  }
  if (process.env.BENCH_SERVE_PROFILE) await profile(pin, modelDir, path_, bodies.one);
}

/** A wrk run and the server's CPU seconds per request over it. */
type Measured = Load & { perRequest: number };

async function report(loads: Record<string, Measured[]>, ours: Server, noop: Server): Promise<void> {
  const rows = [];
  for (const server of [ours, noop]) {
    const runs = loads[server.name]!;
    const memory = await memoryOf(server.child.pid);
    rows.push({
      server: server.name,
      "req/s (median)": Math.round(median(runs.map((l) => l.rps))).toLocaleString("en"),
      "req/s per run": runs.map((l) => Math.round(l.rps)).join(" / "),
      "p50 ms": median(runs.map((l) => l.p50)).toFixed(2),
      "p99 ms": median(runs.map((l) => l.p99)).toFixed(2),
      "p99 per run": runs.map((l) => l.p99.toFixed(2)).join(" / "),
      "CPU us/req": (median(runs.map((l) => l.perRequest)) * 1e6).toFixed(1),
      "non-2xx": runs.reduce((n, l) => n + l.errors, 0),
      "RSS MB (peak)": `${mb(memory.rss)} (${mb(memory.peak)})`,
    });
  }
  console.table(rows);
  const ratios = loads.modelgate!.map((l, i) => l.rps / loads["no-op"]![i]!.rps);
  const p99 = median(loads.modelgate!.map((l) => l.p99));
  const cpu = loads.modelgate!.map((l, i) => loads["no-op"]![i]!.perRequest / l.perRequest);
  console.log(
    `modelgate / no-op requests/s: ${median(ratios).toFixed(2)} (median of paired runs: ` +
      `${ratios.map((r) => r.toFixed(2)).join(", ")}; target >= 0.80)`,
  );
  // On a shared machine the CPU each request costs the server is steadier than requests/s.
  console.log(
    `no-op / modelgate server CPU per request: ${median(cpu).toFixed(2)} (paired runs: ` +
      `${cpu.map((r) => r.toFixed(2)).join(", ")}; what requests/s would be with a core to itself)`,
  );
  console.log(`modelgate p99: ${p99.toFixed(2)} ms at ${CONNECTIONS} connections (target < 5 ms)`);
}

/**
 * SOAK requests after a warm-up of a fifth of them, in runs of SECONDS until done (wrk cannot stop at a
 * count); server RSS before, after and at its highest between runs (flat memory = no leak).
 */
async function soak(pin: Pinning, server: Server, url: string, body: string): Promise<void> {
  const until = async (requests: number) => {
    const loads: Load[] = [];
    let highest = 0;
    while (loads.reduce((n, l) => n + l.requests, 0) < requests) {
      loads.push(await wrk(pin, url, body, { connections: CONNECTIONS, seconds: SECONDS }));
      highest = Math.max(highest, (await memoryOf(server.child.pid)).rss);
    }
    return { loads, highest };
  };
  await until(SOAK / 5);
  const before = await memoryOf(server.child.pid);
  const { loads, highest } = await until(SOAK);
  const after = await memoryOf(server.child.pid);
  const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
  const serverErrors = [...metrics.matchAll(/status="5\d\d"\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  const requests = loads.reduce((n, l) => n + l.requests, 0);
  console.log(
    `soak: ${requests.toLocaleString("en")} single-row requests at ${CONNECTIONS} connections in ${loads.length} runs; ` +
      `server RSS ${mb(before.rss)} -> ${mb(after.rss)} MB (${pct(after.rss / before.rss - 1)}), highest ${mb(highest)} MB; ` +
      `5xx: ${serverErrors}, non-2xx: ${loads.reduce((n, l) => n + l.errors, 0)}`,
  );
}

/**
 * BENCH_SERVE_PROFILE=1: the server from source, bundled unminified (names and lines stay readable),
 * under --cpu-prof and the same load; self time by function over the measured run only.
 */
async function profile(pin: Pinning, modelDir: string, route: string, body: string): Promise<void> {
  const dir = path.join(BENCH_DIR, "serve", "cpu-profile");
  const bundle = path.join(BENCH_DIR, "serve", "child.mjs");
  await rm(dir, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(ROOT, "bench/serve-child.ts")],
    outfile: bundle,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  const argv = [process.execPath, "--cpu-prof", `--cpu-prof-dir=${dir}`, bundle, modelDir];
  const server = await startServer("profiled", pin, argv);
  const url = `${server.url}${route}`;
  await wrk(pin, url, body, { connections: CONNECTIONS, seconds: 2 });
  const load = await wrk(pin, url, body, { connections: CONNECTIONS, seconds: SECONDS });
  await stopServer(server);
  const files = (await readdir(dir)).map((f) => path.join(dir, f));
  console.log(
    `CPU profile of the server at ${Math.round(load.rps).toLocaleString("en")} req/s ` +
      `(self time over the last ${SECONDS} s, idle left out; ${dir}, lines of ${bundle}):`,
  );
  const areas = await selfTimes(files, { top: 10, seconds: SECONDS, by: "area" });
  console.log(`  by area: ${areas.map((a) => `${a.where} ${(a.share * 100).toFixed(1)}%`).join(", ")}`);
  for (const { share, where } of await selfTimes(files, { top: 30, seconds: SECONDS, by: "function" }))
    console.log(`  ${(share * 100).toFixed(1).padStart(5)}%  ${where}`);
}

async function prepare(): Promise<{ modelDir: string; bodies: { one: string; hundred: string } }> {
  const dir = path.join(BENCH_DIR, "serve");
  await mkdir(dir, { recursive: true });
  const table = churnTable(5000);
  await writeFile(path.join(dir, "train.csv"), toCsv(table));
  const modelDir = path.join(dir, "model");
  const config = ModelConfig.parse({ hidden: [64, 32], epochs: 5, earlyStopping: false, backend: "wasm" });
  await saveModel(modelDir, await trainModel(table, config, { target: "churned", logger: silentLogger }));
  const body = (n: number) => JSON.stringify({ instances: rowsOf(table, n) });
  return { modelDir, bodies: { one: body(1), hundred: body(100) } };
}

/** Seeded churn-like rows: five numbers, two categories, a flag; the label depends on a few of them. */
function churnTable(rows: number): Table {
  const random = prng(7);
  const data: Cell[][] = COLUMNS.map(() => []);
  const label: Cell[] = [];
  for (let r = 0; r < rows; r++) {
    const values = [
      Math.round(18 + random() * 60),
      Math.round(20_000 + random() * 80_000),
      Math.round(random() * 72),
      Math.round(random() * 20),
      Number((random() * 10).toFixed(2)),
      ["basic", "plus", "pro"][Math.floor(random() * 3)]!,
      ["north", "south", "east", "west"][Math.floor(random() * 4)]!,
      random() < 0.3,
    ];
    for (let c = 0; c < values.length; c++) data[c]!.push(values[c] as Cell);
    const risk = (values[3] as number) / 20 - (values[2] as number) / 72 + (values[5] === "basic" ? 0.3 : 0);
    label.push(risk + random() * 0.4 > 0.5 ? "yes" : "no");
  }
  return { columns: [...COLUMNS, "churned"], data: [...data, label] };
}

function rowsOf(table: Table, n: number): Record<string, Cell>[] {
  return Array.from({ length: n }, (_, r) =>
    Object.fromEntries(COLUMNS.map((column, c) => [column, table.data[c]![r]!])),
  );
}

function toCsv(table: Table): string {
  const rows = table.data[0]!.map((_, r) => table.data.map((column) => String(column[r])).join(","));
  return `${table.columns.join(",")}\n${rows.join("\n")}\n`;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const pct = (share: number) => `${share >= 0 ? "+" : ""}${(share * 100).toFixed(1)}%`;
