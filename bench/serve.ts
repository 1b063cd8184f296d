import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ModelConfig } from "../core/config/schema.js";
import type { Cell } from "../core/data/types.js";
import { saveModel, type Table, trainModel } from "../core/model/index.js";
import { prng } from "../core/model/random.js";
import { silentLogger } from "../core/ports.js";
import { createModelServer } from "../core/serve/index.js";
import { BENCH_DIR } from "./data.js";
import { pythonWithPackages } from "./timing.js";

const SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 5);
const SOAK = Number(process.env.BENCH_SERVE_SOAK ?? 100_000);
const COLUMNS = ["age", "income", "tenure", "calls", "score", "plan", "region", "promo"];

// The same task for Flask: the same rows, the same preprocessing (scale numbers, one-hot categories),
// an MLP of the same shape, and the same request and response JSON.
const FLASK = `
import sys, logging, pandas as pd
from flask import Flask, request, jsonify
from sklearn.compose import ColumnTransformer
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
df = pd.read_csv(sys.argv[1])
X, y = df.drop(columns=["churned"]), df["churned"].astype(str)
prep = ColumnTransformer([("num", StandardScaler(), ["age", "income", "tenure", "calls", "score"]),
                          ("cat", OneHotEncoder(handle_unknown="ignore"), ["plan", "region"])], remainder="passthrough")
model = make_pipeline(prep, MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=30, random_state=0)).fit(X, y)
classes = list(model.classes_)
app = Flask(__name__)
logging.getLogger("werkzeug").setLevel(logging.ERROR)
@app.post("/v1/models/churn:predict")
def predict():
    rows = pd.DataFrame(request.get_json()["instances"], columns=X.columns)
    probs = model.predict_proba(rows)
    return jsonify(predictions=[{"label": classes[p.argmax()], "probabilities": dict(zip(classes, map(float, p)))} for p in probs])
print("ready", flush=True)
app.run(host="127.0.0.1", port=int(sys.argv[2]), threaded=True)
`;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function benchServe(): Promise<void> {
  const dir = path.join(BENCH_DIR, "serve");
  await mkdir(dir, { recursive: true });
  const table = churnTable(5000);
  const csv = path.join(dir, "train.csv");
  await writeFile(csv, toCsv(table));
  const modelDir = path.join(dir, "model");
  const config = ModelConfig.parse({ hidden: [64, 32], epochs: 5, earlyStopping: false, backend: "wasm" });
  await saveModel(modelDir, await trainModel(table, config, { target: "churned", logger: silentLogger }));
  const bodies = [1, 100].map((n) => JSON.stringify({ instances: rowsOf(table, n) }));

  const ours = await startChild(process.execPath, [
    "--expose-gc",
    "--import",
    "tsx",
    import.meta.filename,
    "child",
    modelDir,
  ]);
  const python = await pythonWithPackages(["flask", "sklearn", "pandas"]);
  const flaskPort = python ? await freePort() : 0;
  const flask = python ? await startChild(python, ["-c", FLASK, csv, String(flaskPort)]) : undefined;
  if (flask) await waitForHttp(`http://127.0.0.1:${flaskPort}/`);
  const servers = [
    { name: "modelgate", url: ours.url },
    ...(flask ? [{ name: "flask+sklearn", url: `http://127.0.0.1:${flaskPort}` }] : []),
  ];
  const results: Record<string, Load> = {};
  const rows = [];
  try {
    for (const server of servers) {
      // JIT warm-up, so the table shows the steady state.
      for (const body of bodies)
        await nodeClient(`${server.url}/v1/models/churn:predict`, body, 8, { seconds: 2 });
      for (const [b, body] of bodies.entries()) {
        for (const inFlight of [1, 32]) {
          const load = await measure(`${server.url}/v1/models/churn:predict`, body, inFlight);
          results[`${server.name} ${b === 0 ? 1 : 100} ${inFlight}`] = load;
          rows.push({
            server: server.name,
            "rows/request": b === 0 ? 1 : 100,
            "in flight": inFlight,
            "requests/s": Math.round(load.rps).toLocaleString("en"),
            "p50 ms": load.p50.toFixed(2),
            "p99 ms": load.p99.toFixed(2),
            "non-2xx": load.errors,
          });
        }
      }
    }
    console.table(rows);
    const soak = await soakTest(ours.url, bodies[0]!, ours.child);
    const { before, after } = soak;
    console.log(
      `soak: ${SOAK.toLocaleString("en")} single-row requests at 32 in flight in ${soak.seconds.toFixed(1)} s; ` +
        `RSS ${mb(before.rss)} -> ${mb(after.rss)} MB (${pct(after.rss / before.rss - 1)}), ` +
        `heap after GC ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB (${pct(after.heapUsed / before.heapUsed - 1)}); ` +
        `5xx: ${soak.serverErrors}, other non-200: ${soak.otherErrors}`,
    );
    const single = results["modelgate 1 32"]!;
    const peer = results["flask+sklearn 1 32"];
    if (peer)
      console.log(
        `requests/s at 32 in flight, single row: ${(single.rps / peer.rps).toFixed(1)}x Flask (target >= 5x)`,
      );
    console.log(`p99 single row: ${single.p99.toFixed(2)} ms at 32 in flight (target <= 10 ms)`);
    console.log(`memory growth over the soak: RSS ${pct(after.rss / before.rss - 1)} (target < 10%)`);
    if (!python)
      console.log(
        "flask/sklearn/pandas not found: apt-get install -y python3-flask python3-sklearn python3-pandas",
      );
  } finally {
    ours.child.kill("SIGTERM");
    flask?.child.kill("SIGTERM");
  }
}

/** wrk when installed (a C client leaves the CPU to the server), else a keep-alive Node client. */
async function measure(url: string, body: string, inFlight: number): Promise<Load> {
  if (await hasWrk()) return wrk(url, body, inFlight);
  const started = performance.now();
  const result = await nodeClient(url, body, inFlight, { seconds: SECONDS });
  const latencies = result.latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / ((performance.now() - started) / 1000),
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    errors: result.statuses.filter((s) => s !== 200).length,
  };
}

async function hasWrk(): Promise<boolean> {
  return promisify(execFile)("wrk", ["--version"]).then(
    () => true,
    (error: { stdout?: string }) => Boolean(error.stdout?.includes("wrk")),
  );
}

async function wrk(url: string, body: string, inFlight: number): Promise<Load> {
  const script = path.join(BENCH_DIR, "serve", "post.lua");
  await writeFile(
    script,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [==[${body}]==]\n`,
  );
  const args = ["-t1", `-c${inFlight}`, `-d${SECONDS}s`, "--latency", "-s", script, url];
  const { stdout } = await promisify(execFile)("wrk", args);
  const latency = (p: string) => toMs(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(stdout));
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN),
    p50: latency("50"),
    p99: latency("99"),
    errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0),
  };
}

function toMs(match: RegExpExecArray | null): number {
  if (!match) return Number.NaN;
  const scale = { us: 0.001, ms: 1, s: 1000 }[match[2] as "us" | "ms" | "s"];
  return Number(match[1]) * scale;
}

async function nodeClient(
  url: string,
  body: string,
  inFlight: number,
  until: { seconds?: number; requests?: number },
) {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const deadline = performance.now() + (until.seconds ?? Number.POSITIVE_INFINITY) * 1000;
  let remaining = until.requests ?? Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  const statuses: number[] = [];
  const worker = async () => {
    while (remaining-- > 0 && performance.now() < deadline) {
      const started = performance.now();
      statuses.push(await post(agent, url, body));
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  agent.destroy();
  return { latencies, statuses };
}

function post(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

async function soakTest(url: string, body: string, child: ChildProcess) {
  const predict = `${url}/v1/models/churn:predict`;
  // Warm up under the same load first: V8 sizes its heap to the load, which is growth but not a leak.
  await nodeClient(predict, body, 32, { requests: 20_000 });
  const before = await memory(child);
  const started = performance.now();
  const { statuses } = await nodeClient(predict, body, 32, { requests: SOAK });
  const seconds = (performance.now() - started) / 1000;
  const after = await memory(child);
  const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
  const serverErrors = [...metrics.matchAll(/status="5\d\d"\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { seconds, before, after, serverErrors, otherErrors: statuses.filter((s) => s !== 200).length };
}

/** The server's RSS and its heap after a full GC: the child answers SIGUSR2 with one JSON line. */
function memory(child: ChildProcess): Promise<{ rss: number; heapUsed: number }> {
  return new Promise((resolve) => {
    child.stdout!.once("data", (line) => resolve(JSON.parse(String(line))));
    child.kill("SIGUSR2");
  });
}

/** Starts a server process and waits for its first stdout line ("ready" or the URL). */
function startChild(command: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0]!;
      if (out.includes("\n")) resolve({ child, url: line.trim() });
    });
    child.on("exit", (code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
  });
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
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

// Run as `node --import tsx bench/serve.ts child DIR`: the server under test, in its own process.
if (process.argv[2] === "child" && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const server = await createModelServer({
    modelDir: process.argv[3]!,
    name: "churn",
    logger: silentLogger,
    port: 0,
  });
  console.log(server.url);
  process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
  process.on("SIGUSR2", () => {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    console.log(JSON.stringify({ rss, heapUsed }));
  });
}
