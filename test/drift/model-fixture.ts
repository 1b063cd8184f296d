import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ModelConfig } from "../../core/config/schema.js";
import type { ModelManifest } from "../../core/model/schema.js";
import { tempDir } from "../helpers/temp.js";
import { categories, mulberry32, normals, profileOf } from "./helpers.js";

export const TRAINING_METRICS = { accuracy: 0.9, f1_macro: 0.88, loss: 0.3 };

/** A model folder as training leaves it, minus the weights: modelgate.json and profile.json. */
export async function modelFolder(dir?: string): Promise<string> {
  const root = dir ?? (await tempDir("mg-model-"));
  const model = path.join(root, "model");
  await mkdir(model, { recursive: true });
  const manifest: ModelManifest = {
    format: 2,
    kind: "modelgate-mlp",
    task: "classification",
    target: "churned",
    features: [
      { name: "age", kind: "numeric" },
      { name: "plan", kind: "categorical" },
    ],
    classes: ["no", "yes"],
    preprocessor: {
      features: [
        { name: "age", kind: "numeric", median: 40, mean: 40, std: 10, missingIndicator: false },
        { name: "plan", kind: "categorical", categories: ["basic", "pro"] },
      ],
      target: { task: "classification", name: "churned", classes: ["no", "yes"] },
    },
    config: ModelConfig.parse({}),
    inputDim: 4,
    backend: "cpu",
    run: { metrics: TRAINING_METRICS },
  };
  const rows = 2000;
  const training = profileOf({
    age: normals(rows, 1).map((x) => Math.round(40 + 10 * x)),
    plan: categories(rows, 2, ["basic", "pro"], [3, 1]),
    churned: categories(rows, 3, ["no", "yes"], [4, 1]),
  });
  await writeFile(path.join(model, "modelgate.json"), JSON.stringify(manifest));
  await writeFile(path.join(model, "profile.json"), JSON.stringify(training));
  return model;
}

export interface LogSpec {
  rows: number;
  seed: number;
  ageShift?: number;
  /** Share of rows whose logged label is right (against the labels written by `labelsCsv`). */
  accuracy?: number;
  yesShare?: number;
}

/** A prediction log as the server writes it, and the truth for each request. */
export function predictionLog(spec: LogSpec): { jsonl: string; truth: Map<string, string> } {
  const random = mulberry32(spec.seed);
  const ages = normals(spec.rows, spec.seed + 1, spec.ageShift ?? 0);
  const plans = categories(spec.rows, spec.seed + 2, ["basic", "pro"], [3, 1]);
  const truth = new Map<string, string>();
  const lines: string[] = [];
  for (let r = 0; r < spec.rows; r++) {
    const requestId = `req-${spec.seed}-${r}`;
    const actual = random() < (spec.yesShare ?? 0.2) ? "yes" : "no";
    const right = random() < (spec.accuracy ?? 0.9);
    const label = right ? actual : actual === "yes" ? "no" : "yes";
    const p = label === "yes" ? 0.8 : 0.2;
    truth.set(requestId, actual);
    const record = {
      requestId,
      time: new Date(Date.UTC(2025, 0, 1, 0, 0, r)).toISOString(),
      model: "churn",
      version: 3,
      inputs: { age: Math.round(40 + 10 * ages[r]!), plan: plans[r] },
      outputs: { label, probabilities: { no: 1 - p, yes: p } },
    };
    lines.push(JSON.stringify(record));
  }
  return { jsonl: `${lines.join("\n")}\n`, truth };
}

/** Labels for the first `count` requests, plus `unknown` ids the log never saw. */
export function labelsCsv(truth: Map<string, string>, count: number, unknown: number): string {
  const rows = [...truth].slice(0, count).map(([id, value]) => `${id},${value}`);
  for (let i = 0; i < unknown; i++) rows.push(`ghost-${i},yes`);
  return `requestId,churned\n${rows.join("\n")}\n`;
}

export const GATES = [
  { metric: "accuracy", min: 0.8 },
  { metric: "f1_macro", maxDrop: 0.1 },
];
