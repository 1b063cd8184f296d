import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { ModelConfig } from "../core/config/schema.js";
import { EXPORT_FORMATS, exportModel } from "../core/export/index.js";
import { saveModel } from "../core/model/io.js";
import { trainModel } from "../core/model/train.js";
import { loadTable } from "../core/pipeline/dataset.js";
import { silentLogger } from "../core/ports.js";
import { BENCH_DIR, generateTable } from "./data.js";
import { AS_DIST, pythonWithPackages, type Timed, timed } from "./timing.js";

// Batch inference of 50k rows (12 float, 4 integer, 3 category columns: the benchmark table) by the same
// (64, 32) MLP classifier: modelgate (encode + network, as evaluate and serve run it), the model exported
// to ONNX on onnxruntime-web (wasm) and onnxruntime-node, and scikit-learn's predict_proba on a pipeline of
// the same preprocessing and layer sizes fitted on the same rows. Each side is a whole process (bench/
// predict-run.ts, predict-sklearn.py): the model loaded, the rows read, one cold call, then warm calls.
const ROWS = 50_000;
const HIDDEN = [64, 32];
const EPOCHS = 5;
const HERE = import.meta.dirname;
const PEERS = path.join(HERE, "predict-peers");

interface Call {
  wall: number;
  cpu: number;
}
interface RunResult {
  load: number;
  read: number;
  cold: Call;
  warm: Call[];
  network?: Call[];
}
interface SideRun {
  result: RunResult;
  process: Timed;
  /** The same process on one row: start-up, model load and one call. */
  startup: Timed;
  probabilities: Float32Array;
}
interface Side {
  name: string;
  /** A whole process scoring `rows` (a CSV file) once cold and then BENCH_WARM times warm. */
  run: (rows: string, out: string, warm: string) => Promise<Timed>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchPredict(): Promise<void> {
  await mkdir(BENCH_DIR, { recursive: true });
  const trainCsv = await generateTable(path.join(BENCH_DIR, `predict-train-${ROWS}.csv`), {
    rows: ROWS,
    seed: 21,
  });
  const rowsCsv = await generateTable(path.join(BENCH_DIR, `predict-rows-${ROWS}.csv`), {
    rows: ROWS,
    seed: 22,
  });
  const modelDir = path.join(BENCH_DIR, "predict-model");
  const onnxFile = path.join(BENCH_DIR, "predict-model.onnx");
  await trainAndExport(trainCsv, modelDir, onnxFile);
  const runner = await bundleRunner();
  const oneRow = path.join(BENCH_DIR, "predict-one-row.csv");
  await writeFile(oneRow, (await readFile(rowsCsv, "utf8")).split("\n", 2).join("\n"));
  const node =
    (side: string, extra: string[] = []) =>
    (rows: string, out: string, warm: string) =>
      timed(process.execPath, [runner, side, modelDir, onnxFile, rows, out, warm, ...extra]);
  const sides: Side[] = [
    { name: "modelgate (encode + network)", run: node("modelgate") },
    { name: "modelgate, cells as CSV text", run: node("modelgate-text") },
    { name: "modelgate, JSON records (checked)", run: node("modelgate-records") },
    { name: "onnxruntime-web (wasm, exported model)", run: node("ort-web") },
  ];
  const ortNode = await installOrtNode();
  if (ortNode) sides.push({ name: "onnxruntime-node (exported model)", run: node("ort-node", [ortNode]) });
  else console.log("onnxruntime-node: not installable here; left out");
  const python = await pythonWithPackages(["sklearn", "numpy"]);
  if (python) {
    const pickle = path.join(BENCH_DIR, "predict-sklearn.pkl");
    const script = path.join(HERE, "predict-sklearn.py");
    if (!existsSync(pickle)) {
      await timed(python, [script, "fit", trainCsv, pickle, HIDDEN.join(","), String(EPOCHS)]);
    }
    sides.push({
      name: "scikit-learn predict_proba (pipeline)",
      run: (rows, out, warm) => timed(python, [script, "run", pickle, rows, out, warm]),
    });
  } else console.log("scikit-learn not found: apt-get install -y python3-sklearn");

  // Sides alternate within each round, so a busy moment on the shared machine hits them alike.
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const warm = String(Number(process.env.BENCH_WARM ?? 5));
  const results = new Map<string, SideRun[]>(sides.map((s) => [s.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const side of sides) {
      const out = path.join(BENCH_DIR, `predict-${sides.indexOf(side)}.bin`);
      const process = await side.run(rowsCsv, out, warm);
      const startup = await side.run(oneRow, `${out}.one`, "0");
      const result = JSON.parse(process.stdout.trim().split("\n").at(-1)!) as RunResult;
      const bytes = await readFile(out);
      const probabilities = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      results.get(side.name)!.push({ result, process, startup, probabilities });
    }
  }
  await report(sides, results, await labelsOf(rowsCsv));
}

async function report(sides: Side[], results: Map<string, SideRun[]>, labels: Uint8Array): Promise<void> {
  const warmOf = (runs: SideRun[], key: "wall" | "cpu") =>
    median(runs.map((r) => median(r.result.warm.map((c) => c[key]))));
  const ours = results.get(sides[0]!.name)!;
  console.table(
    sides.map((side) => {
      const runs = results.get(side.name)!;
      const network = runs[0]!.result.network;
      return {
        side: side.name,
        "warm call ms": warmOf(runs, "wall").toFixed(1),
        "warm CPU ms": warmOf(runs, "cpu").toFixed(1),
        "network alone CPU ms": network
          ? median(runs.map((r) => median(r.result.network!.map((c) => c.cpu)))).toFixed(1)
          : "",
        "cold call ms": median(runs.map((r) => r.result.cold.wall)).toFixed(1),
        "load ms": median(runs.map((r) => r.result.load)).toFixed(0),
        "process s": median(runs.map((r) => r.process.seconds)).toFixed(2),
        "process CPU s": median(runs.map((r) => r.process.cpuSeconds)).toFixed(2),
        "peak RSS MB": (median(runs.map((r) => r.process.maxRssKb)) / 1024).toFixed(0),
        "1-row process s": median(runs.map((r) => r.startup.seconds)).toFixed(2),
        "1-row CPU s": median(runs.map((r) => r.startup.cpuSeconds)).toFixed(2),
        accuracy: accuracy(runs[0]!.probabilities, labels).toFixed(4),
      };
    }),
  );
  const text = results.get(sides[1]!.name)!;
  const records = results.get(sides[2]!.name)!;
  const ratio = (peer: SideRun[], ours: SideRun[]) =>
    `${(warmOf(peer, "wall") / warmOf(ours, "wall")).toFixed(2)}x (CPU ${(warmOf(peer, "cpu") / warmOf(ours, "cpu")).toFixed(2)}x)`;
  for (const side of sides.slice(3)) {
    const runs = results.get(side.name)!;
    console.log(
      `modelgate's warm call vs ${side.name}: ${ratio(runs, ours)} as fast; ` +
        `from CSV text cells ${ratio(runs, text)}; from JSON records ${ratio(runs, records)}`,
    );
    if (side.name.startsWith("onnxruntime")) {
      const diff = maxAbsDiff(ours[0]!.probabilities, runs[0]!.probabilities);
      console.log(
        `  max |P(modelgate) - P(${side.name.split(" ")[0]})| over ${labels.length} rows: ${diff.toExponential(2)}`,
      );
    }
  }
  for (const [name, other] of [
    ["text cells", text],
    ["JSON records", records],
  ] as const) {
    const same = maxAbsDiff(ours[0]!.probabilities, other[0]!.probabilities);
    console.log(`modelgate typed cells vs ${name}: max difference ${same.toExponential(2)}`);
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

/** Share of rows whose most probable class (column 1 is "1") is the label. */
function accuracy(probabilities: Float32Array, labels: Uint8Array): number {
  let right = 0;
  for (let r = 0; r < labels.length; r++) if (Number(probabilities[r * 2 + 1]! > 0.5) === labels[r]) right++;
  return right / labels.length;
}

async function labelsOf(csv: string): Promise<Uint8Array> {
  const lines = (await readFile(csv, "utf8")).trim().split("\n").slice(1);
  return Uint8Array.from(lines, (line) => (line.endsWith("1") ? 1 : 0));
}

/** modelgate trains the MLP (in process; its training is not what is timed) and exports it as ONNX. */
async function trainAndExport(trainCsv: string, modelDir: string, onnxFile: string): Promise<void> {
  if (!existsSync(path.join(modelDir, "modelgate.json"))) {
    const { table } = await loadTable(trainCsv, {});
    const config = ModelConfig.parse({ hidden: HIDDEN, epochs: EPOCHS, earlyStopping: false });
    const trained = await trainModel(table, config, { target: "label", logger: silentLogger });
    await rm(modelDir, { recursive: true, force: true });
    await saveModel(modelDir, trained);
  }
  await exportModel({
    modelDir,
    format: EXPORT_FORMATS.get("onnx")!,
    out: onnxFile,
    cwd: BENCH_DIR,
    force: true,
    producerVersion: "bench",
  });
}

/** The runner bundled as dist/ bundles modelgate, so its start-up is a user's; the ONNX runtimes stay external. */
async function bundleRunner(): Promise<string> {
  const outdir = path.join(BENCH_DIR, "predict-run");
  await build({
    entryPoints: { "predict-run": path.join(HERE, "predict-run.ts") },
    outdir,
    ...AS_DIST,
    external: ["onnxruntime-web", "onnxruntime-node", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"],
    // CommonJS dependencies call require() (dist/ gives its bundles the same).
    banner: {
      js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
  return path.join(outdir, "predict-run.js");
}

/**
 * onnxruntime-node from bench/predict-peers (not a dependency of the package): its npm package carries the
 * Linux x64 CPU binary; ONNXRUNTIME_NODE_INSTALL=skip skips the extra (CUDA) download. The folder, or undefined.
 */
async function installOrtNode(): Promise<string | undefined> {
  if (existsSync(path.join(PEERS, "node_modules", "onnxruntime-node"))) return PEERS;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const code = await new Promise<number>((resolve) => {
    const child = spawn(npm, ["install", "--no-audit", "--no-fund"], {
      cwd: PEERS,
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" },
      stdio: "inherit",
    });
    child.on("close", (c) => resolve(c ?? 1));
    child.on("error", () => resolve(1));
  });
  return code === 0 && existsSync(path.join(PEERS, "node_modules", "onnxruntime-node")) ? PEERS : undefined;
}
