import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Cell } from "../core/data/types.js";
import { BENCH_DIR } from "./data.js";
import { pythonWithPackages, timed } from "./timing.js";

// The same task for both: 100k x 20 uniform features, a noisy linear boundary; (64, 32) MLP,
// 20 epochs, batch 128, adam at 0.002 (modelgate's default); accuracy on 20k held-out rows.
const N = 100_000;
const TEST = 20_000;
const D = 20;

const SKLEARN = `
import sys, time, numpy as np
from sklearn.neural_network import MLPClassifier
train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.float32)
test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, dtype=np.float32)
clf = MLPClassifier(hidden_layer_sizes=(64, 32), batch_size=128, max_iter=20, solver="adam",
                    learning_rate_init=0.002, tol=0, n_iter_no_change=1000, random_state=0)
t = time.perf_counter(); clf.fit(train[:, :-1], train[:, -1].astype(int)); t1 = time.perf_counter()
p = clf.predict_proba(test[:, :-1]); t2 = time.perf_counter()
print(f"{t1-t:.3f} {t2-t1:.4f} {(p.argmax(1) == test[:, -1]).mean():.4f}")
`;

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeTask() {
  const random = mulberry32(1);
  const weights = Array.from({ length: D }, () => random() - 0.5);
  const rows = N + TEST;
  const columns: number[][] = Array.from({ length: D }, () => new Array<number>(rows));
  const labels: Cell[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = 0;
    for (let j = 0; j < D; j++) {
      const v = Math.round((random() * 2 - 1) * 1e4) / 1e4;
      columns[j]![i] = v;
      z += v * weights[j]!;
    }
    labels[i] = z + (random() - 0.5) * 0.3 > 0 ? "1" : "0";
  }
  const names = [...columns.map((_, j) => `f${j}`), "y"];
  const slice = (from: number, to: number) => ({
    columns: names,
    data: [...columns.map((c) => c.slice(from, to) as Cell[]), labels.slice(from, to)],
  });
  return { train: slice(0, N), test: slice(N, N + TEST), names };
}

async function writeCsv(file: string, table: { columns: string[]; data: Cell[][] }): Promise<void> {
  const rows = table.data[0]!.length;
  const lines = [table.columns.join(",")];
  for (let r = 0; r < rows; r++) lines.push(table.data.map((c) => c[r]).join(","));
  await writeFile(file, `${lines.join("\n")}\n`);
}

const TORCH = `
import sys, time, numpy as np, torch
torch.manual_seed(0)
train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.float32)
test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, dtype=np.float32)
x, y = torch.from_numpy(train[:, :-1]), torch.from_numpy(train[:, -1]).long()
mean, std = x.mean(0), x.std(0) + 1e-7
x = (x - mean) / std
net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 64), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                          torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Dropout(0.1), torch.nn.Linear(32, 2))
opt = torch.optim.Adam(net.parameters(), lr=0.002)
loss = torch.nn.CrossEntropyLoss()
t = time.perf_counter()
for epoch in range(20):
    order = torch.randperm(len(x))
    for i in range(0, len(x), 128):
        idx = order[i:i + 128]
        opt.zero_grad(); l = loss(net(x[idx]), y[idx]); l.backward(); opt.step()
t1 = time.perf_counter()
net.eval()
with torch.no_grad():
    p = net((torch.from_numpy(test[:, :-1]) - mean) / std).argmax(1).numpy()
print(f"{t1-t:.3f} 0 {(p == test[:, -1]).mean():.4f}")
`;

// The default config, as users get it, with what both peers can match: 20 epochs, batch 128, no early stopping.
const CONFIG = `version: 1
name: bench
data: { train: train-task.csv, test: train-task-test.csv, target: y }
model: { task: classification, epochs: 20, batchSize: 128, earlyStopping: false }
gates: []
`;

/** Whole processes: modelgate's CLI (dist/) with the default config vs scikit-learn and PyTorch scripts. */
export async function benchTrain(): Promise<void> {
  const cli = path.resolve(import.meta.dirname, "../bin/modelgate.js");
  if (!existsSync(path.resolve(import.meta.dirname, "../dist/cli.js"))) {
    console.log("dist/ is missing: npm run build first (the benchmark runs the bundled CLI)");
    return;
  }
  const task = makeTask();
  const trainCsv = path.join(BENCH_DIR, "train-task.csv");
  const testCsv = path.join(BENCH_DIR, "train-task-test.csv");
  await mkdir(BENCH_DIR, { recursive: true });
  await writeCsv(trainCsv, task.train);
  await writeCsv(testCsv, task.test);
  const config = path.join(BENCH_DIR, "train-bench.yml");
  await writeFile(config, CONFIG);

  const python = await pythonWithPackages(["sklearn", "numpy"]);
  const torch = await pythonWithPackages(["torch", "numpy"]);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const rows: Record<string, string>[] = [];
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const sides: { tool: string; run: () => Promise<{ seconds: number; rss: number; accuracy: number }> }[] = [
    {
      tool: "modelgate (CLI, default config)",
      run: async () => {
        const out = path.join(BENCH_DIR, "train-bench-model");
        await rm(out, { recursive: true, force: true });
        const timing = await timed(process.execPath, [
          cli,
          "train",
          "--config",
          config,
          "--out",
          out,
          "--quiet",
        ]);
        const report = path.join(BENCH_DIR, "train-bench-report.json");
        await timed(process.execPath, [
          cli,
          "evaluate",
          "--config",
          config,
          "--model",
          out,
          "--out",
          report,
          "--quiet",
        ]);
        const accuracy = JSON.parse(await readFile(report, "utf8")).metrics.accuracy as number;
        return { seconds: timing.seconds, rss: timing.maxRssKb, accuracy };
      },
    },
  ];
  if (python) sides.push({ tool: "scikit-learn MLPClassifier (no dropout)", run: peer(python, SKLEARN) });
  if (torch) sides.push({ tool: "PyTorch (same net, dropout 0.1)", run: peer(torch, TORCH) });
  const seconds = new Map<string, number>();
  for (const side of sides) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await side.run());
    const wall = median(results.map((r) => r.seconds));
    seconds.set(side.tool, wall);
    rows.push({
      tool: side.tool,
      "wall s (median)": wall.toFixed(2),
      "peak RSS MB": (median(results.map((r) => r.rss)) / 1024).toFixed(0),
      accuracy: median(results.map((r) => r.accuracy)).toFixed(4),
    });
  }
  console.table(rows);
  const ours = seconds.get(sides[0]!.tool)!;
  for (const side of sides.slice(1)) {
    console.log(`modelgate is ${(seconds.get(side.tool)! / ours).toFixed(2)}x the speed of ${side.tool}`);
  }
  if (!python) console.log("scikit-learn not found: apt-get install -y python3-sklearn");
  if (!torch) console.log("PyTorch not found: apt-get install -y python3-torch");
}

/** A peer script run as a whole process: it prints "train-seconds predict-seconds accuracy". */
function peer(python: string, script: string) {
  return async () => {
    const timing = await timed(python, [
      "-c",
      script,
      path.join(BENCH_DIR, "train-task.csv"),
      path.join(BENCH_DIR, "train-task-test.csv"),
    ]);
    const accuracy = Number(timing.stdout.trim().split(" ")[2]);
    return { seconds: timing.seconds, rss: timing.maxRssKb, accuracy };
  };
}
