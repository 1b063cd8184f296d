import { writeFile } from "node:fs/promises";
import path from "node:path";
import { ModelConfig } from "../core/config/schema.js";
import type { Cell } from "../core/data/types.js";
import { predict, predictEncoded, trainModel, transform } from "../core/model/index.js";
import { silentLogger } from "../core/ports.js";
import { BENCH_DIR } from "./data.js";
import { pythonWithPackages, timed } from "./timing.js";

// The same task for both: 100k x 20 uniform features, a noisy linear boundary; (64, 32) MLP,
// 20 epochs, batch 128, adam at 0.001; accuracy on 20k held-out rows.
const N = 100_000;
const TEST = 20_000;
const D = 20;

const SKLEARN = `
import sys, time, numpy as np
from sklearn.neural_network import MLPClassifier
train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.float32)
test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, dtype=np.float32)
clf = MLPClassifier(hidden_layer_sizes=(64, 32), batch_size=128, max_iter=20, solver="adam",
                    learning_rate_init=0.001, tol=0, n_iter_no_change=1000, random_state=0)
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

export async function benchTrain(): Promise<void> {
  const task = makeTask();
  const config = ModelConfig.parse({
    hidden: [64, 32],
    epochs: 20,
    batchSize: 128,
    learningRate: 0.001,
    dropout: 0,
    earlyStopping: false,
    task: "classification",
  });
  let started = performance.now();
  const trained = await trainModel(task.train, config, { target: "y", logger: silentLogger });
  const trainSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const prediction = predict(trained, task.test);
  const predictMs = performance.now() - started;
  // The model alone on already-encoded rows, as predict_proba is timed on a parsed array (warm: 2nd call).
  const encoded = transform(trained.preprocessor, task.test);
  started = performance.now();
  predictEncoded(trained, encoded.x, encoded.rows);
  const modelOnlyMs = performance.now() - started;
  const truth = task.test.data.at(-1)!;
  let correct = 0;
  if (prediction.task === "classification") {
    for (let i = 0; i < TEST; i++) {
      const label = prediction.probabilities[2 * i + 1]! > 0.5 ? "1" : "0";
      if (label === truth[i]) correct++;
    }
  }
  const ours = { trainSeconds, predictMs, accuracy: correct / TEST };
  console.log(
    `modelgate (${trained.backend}): train ${trainSeconds.toFixed(2)} s, predict ${predictMs.toFixed(0)} ms for ${TEST} rows, accuracy ${ours.accuracy.toFixed(4)}`,
  );

  const python = await pythonWithPackages(["sklearn", "numpy"]);
  if (!python) {
    console.log("scikit-learn not found: apt-get install -y python3-sklearn for the side-by-side run");
    return;
  }
  const trainCsv = path.join(BENCH_DIR, "train-task.csv");
  const testCsv = path.join(BENCH_DIR, "train-task-test.csv");
  await writeCsv(trainCsv, task.train);
  await writeCsv(testCsv, task.test);
  const peer = await timed(python, ["-c", SKLEARN, trainCsv, testCsv]);
  const [skTrain, skPredict, skAccuracy] = peer.stdout.trim().split(" ").map(Number) as [
    number,
    number,
    number,
  ];
  console.table([
    {
      tool: "modelgate",
      "train s": trainSeconds.toFixed(2),
      "predict ms": predictMs.toFixed(0),
      accuracy: ours.accuracy.toFixed(4),
    },
    {
      tool: "scikit-learn",
      "train s": skTrain.toFixed(2),
      "predict ms": (skPredict * 1000).toFixed(0),
      accuracy: skAccuracy.toFixed(4),
    },
  ]);
  console.log(`training: ${(skTrain / trainSeconds).toFixed(2)}x scikit-learn's speed (target >= 1)`);
  console.log(
    `inference: ${((skPredict * 1000) / predictMs).toFixed(2)}x predict_proba's speed (target >= 1); ` +
      `model alone on encoded rows ${modelOnlyMs.toFixed(1)} ms, ${((skPredict * 1000) / modelOnlyMs).toFixed(2)}x`,
  );
  console.log(
    `accuracy: ${((ours.accuracy - skAccuracy) * 100).toFixed(2)} points vs scikit-learn (target within 1)`,
  );
}
