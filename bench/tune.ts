import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { BENCH_DIR, generateTable } from "./data.js";

// A sweep as users run it: the bundled CLI (dist/, as in CI), 6 trials over hidden, learningRate and
// dropout, on 40,000 rows of the benchmark table with 10 epochs each, so a trial does real work
// (on a tiny data set the per-thread start-up, not training, dominates and threads cannot help).
const ROWS = 40_000;
const CLI = path.resolve(import.meta.dirname, "../bin/modelgate.js");

const CONFIG = `version: 1
name: bench-tune
data: { train: table.csv, target: label, split: { test: 0.2, seed: 1 } }
model: { epochs: 10, earlyStopping: false, batchSize: 128 }
tune:
  trials: 6
  space:
    hidden: [[32], [64, 32], [128, 64]]
    learningRate: { min: 0.0005, max: 0.01, log: true }
    dropout: [0, 0.1]
`;

function run(args: string[], cwd: string): Promise<{ seconds: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) =>
    child.on("close", (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - started) / 1000, stdout })
        : reject(new Error(`tune exited ${code}`)),
    ),
  );
}

export async function benchTune(): Promise<void> {
  const dir = path.join(BENCH_DIR, "tune-project");
  await mkdir(dir, { recursive: true });
  await generateTable(path.join(dir, "table.csv"), { rows: ROWS, seed: 3 });
  await writeFile(path.join(dir, "modelgate.yml"), CONFIG);
  // Worker threads only help when cores are free: the speed-up reads wrong on a loaded machine.
  console.log(
    `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}; ${ROWS} rows, 6 trials x 10 epochs`,
  );
  const metrics: string[] = [];
  const times: number[] = [];
  for (const workers of [1, 2]) {
    const { seconds, stdout } = await run(["tune", "--workers", String(workers), "--json", "--quiet"], dir);
    const result = JSON.parse(stdout) as {
      trials: Array<{ metrics?: unknown }>;
      best: { metrics: Record<string, number> } | null;
      metric: string;
    };
    metrics.push(JSON.stringify(result.trials.map((t) => t.metrics)));
    times.push(seconds);
    console.log(
      `${workers} worker(s): ${seconds.toFixed(2)} s wall; best ${result.metric} ${result.best?.metrics[result.metric]?.toFixed(4)}`,
    );
  }
  console.log(
    `speed-up 2 vs 1 worker: ${(times[0]! / times[1]!).toFixed(2)}x; identical metrics: ${metrics[0] === metrics[1]}`,
  );
}
