import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ModelConfig } from "../core/config/schema.js";
import type { Cell } from "../core/data/types.js";
import { predict, trainModel } from "../core/model/index.js";
import { silentLogger } from "../core/ports.js";
import { BENCH_DIR } from "./data.js";
import { pythonWithPackages, timed } from "./timing.js";

/**
 * modelgate's default config against scikit-learn's MLPClassifier/MLPRegressor defaults on the data sets
 * scikit-learn ships, over the same 5 x 2 repeated stratified splits (drawn by scikit-learn, written as CSV):
 * mean accuracy (R² for diabetes). The target: every row within 1 point, diabetes not worse.
 */
const SETS = ["iris", "wine", "breast_cancer", "digits", "diabetes"] as const;

const PYTHON = `
import sys, os, json, warnings, numpy as np
from sklearn import datasets
from sklearn.model_selection import RepeatedStratifiedKFold, RepeatedKFold
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.compose import TransformedTargetRegressor
warnings.filterwarnings("ignore")
out = sys.argv[1]
scores = {}
for name in ${JSON.stringify(SETS)}:
    data = getattr(datasets, "load_" + name)()
    x, y = data.data, data.target
    regression = name == "diabetes"
    folds = (RepeatedKFold if regression else RepeatedStratifiedKFold)(n_splits=2, n_repeats=5, random_state=0)
    header = ",".join([f"f{j}" for j in range(x.shape[1])] + ["y"])
    scores[name] = []
    for i, (train, test) in enumerate(folds.split(x, y)):
        for part, rows in (("train", train), ("test", test)):
            table = np.column_stack([x[rows], y[rows]])
            np.savetxt(os.path.join(out, f"{name}-{i}-{part}.csv"), table, delimiter=",", header=header, comments="",
                       fmt=["%.6g"] * x.shape[1] + (["%.6g"] if regression else ["%d"]))
        # scikit-learn's defaults, with the scaling its user guide asks for (modelgate standardises too).
        # (and the target scaled for the regressor, as modelgate scales it: unscaled, MLPRegressor's R² is < 0).
        estimator = MLPRegressor(random_state=i) if regression else MLPClassifier(random_state=i)
        if regression:
            estimator = TransformedTargetRegressor(estimator, transformer=StandardScaler())
        model = make_pipeline(StandardScaler(), estimator)
        model.fit(x[train], y[train])
        scores[name].append(model.score(x[test], y[test]))
print(json.dumps(scores))
`;

async function readCsv(file: string): Promise<{ columns: string[]; data: Cell[][] }> {
  const [header, ...lines] = (await readFile(file, "utf8")).trim().split("\n");
  const columns = header!.split(",");
  const data: Cell[][] = columns.map(() => []);
  for (const line of lines) {
    line.split(",").forEach((v, j) => {
      data[j]!.push(v);
    });
  }
  return { columns, data };
}

async function ours(name: string, split: number): Promise<number> {
  const dir = path.join(BENCH_DIR, "defaults");
  const train = await readCsv(path.join(dir, `${name}-${split}-train.csv`));
  const test = await readCsv(path.join(dir, `${name}-${split}-test.csv`));
  const regression = name === "diabetes";
  const config = ModelConfig.parse({ task: regression ? "regression" : "classification", seed: split });
  const trained = await trainModel(train, config, { target: "y", logger: silentLogger });
  const prediction = predict(trained, test);
  const truth = test.data.at(-1)!;
  if (prediction.task === "classification") {
    const k = prediction.classes.length;
    let correct = 0;
    truth.forEach((t, i) => {
      let best = 0;
      for (let c = 1; c < k; c++)
        if (prediction.probabilities[i * k + c]! > prediction.probabilities[i * k + best]!) best = c;
      if (Number(prediction.classes[best]) === Number(t)) correct++;
    });
    return correct / truth.length;
  }
  const y = truth.map(Number);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  let ss = 0;
  let total = 0;
  y.forEach((t, i) => {
    ss += (t - prediction.values[i]!) ** 2;
    total += (t - mean) ** 2;
  });
  return 1 - ss / total;
}

export async function benchDefaults(): Promise<void> {
  const python = await pythonWithPackages(["sklearn", "numpy"]);
  if (!python) {
    console.log("scikit-learn not found: apt-get install -y python3-sklearn for the defaults table");
    return;
  }
  const dir = path.join(BENCH_DIR, "defaults");
  await mkdir(dir, { recursive: true });
  const peer = JSON.parse((await timed(python, ["-c", PYTHON, dir])).stdout) as Record<string, number[]>;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const rows = [];
  for (const name of SETS) {
    const scores: number[] = [];
    for (let split = 0; split < 10; split++) scores.push(await ours(name, split));
    const [a, b] = [mean(scores), mean(peer[name]!)];
    rows.push({
      "data set": name,
      metric: name === "diabetes" ? "R²" : "accuracy",
      modelgate: a.toFixed(4),
      "scikit-learn": b.toFixed(4),
      points: ((a - b) * 100).toFixed(2),
      target: name === "diabetes" ? "not worse" : "within 1 point",
      met: name === "diabetes" ? a >= b - 0.005 : Math.abs(a - b) <= 0.01 || a > b,
    });
  }
  console.table(rows);
}
