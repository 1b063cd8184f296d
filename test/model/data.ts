import { ModelConfig } from "../../core/config/schema.js";
import type { Cell } from "../../core/data/types.js";
import type { Table } from "../../core/model/index.js";
import { prng } from "../../core/model/random.js";

/** Seeded, separable data in CSV's shape (strings, "" for missing). */
export function classificationTable(rows: number, classes: string[], seed = 1): Table {
  const random = prng(seed);
  const a: Cell[] = [];
  const b: Cell[] = [];
  const color: Cell[] = [];
  const flag: Cell[] = [];
  const label: Cell[] = [];
  for (let r = 0; r < rows; r++) {
    const k = Math.floor(random() * classes.length);
    const angle = (2 * Math.PI * k) / classes.length;
    const x = 3 * Math.cos(angle) + random() - 0.5;
    const y = 3 * Math.sin(angle) + random() - 0.5;
    a.push(r % 17 === 0 ? "" : x.toFixed(3));
    b.push(y.toFixed(3));
    color.push(["red", "green", "blue"][Math.floor(random() * 3)]!);
    flag.push(random() < 0.5 ? "true" : "false");
    label.push(classes[k]!);
  }
  return { columns: ["a", "b", "color", "flag", "label"], data: [a, b, color, flag, label] };
}

export function regressionTable(rows: number, seed = 2): Table {
  const random = prng(seed);
  const a: Cell[] = [];
  const b: Cell[] = [];
  const y: Cell[] = [];
  for (let r = 0; r < rows; r++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    a.push(x1);
    b.push(x2);
    y.push(10 + 3 * x1 - 2 * x2 + 0.1 * (random() - 0.5));
  }
  return { columns: ["a", "b", "y"], data: [a, b, y] };
}

export function config(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return ModelConfig.parse({
    hidden: [16, 8],
    epochs: 15,
    batchSize: 32,
    learningRate: 0.01,
    dropout: 0,
    earlyStopping: false,
    backend: "wasm",
    ...overrides,
  });
}

export function accuracy(probabilities: Float32Array, classes: string[], labels: Cell[]): number {
  let correct = 0;
  labels.forEach((label, r) => {
    let best = 0;
    for (let c = 1; c < classes.length; c++) {
      if (probabilities[r * classes.length + c]! > probabilities[r * classes.length + best]!) best = c;
    }
    if (classes[best] === label) correct++;
  });
  return correct / labels.length;
}

export function rSquared(predicted: Float64Array, actual: Cell[]): number {
  const values = actual.map(Number);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const residual = values.reduce((s, v, i) => s + (v - predicted[i]!) ** 2, 0);
  const total = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return 1 - residual / total;
}
