import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { saveModel, trainModel } from "../../core/model/index.js";
import { silentLogger } from "../../core/ports.js";
import { createModelServer, type ModelServer, type ServeOptions } from "../../core/serve/index.js";
import { classificationTable, config, regressionTable } from "../model/data.js";

export const classes = ["no", "yes"];
export const classificationRows = classificationTable(120, classes);
export const regressionRows = regressionTable(120);

/** A temp folder with a tiny trained classifier (features a, b, color, flag) and a regressor (a, b). */
export async function trainModels(): Promise<{ root: string; classifier: string; regressor: string }> {
  const root = await mkdtemp(path.join(tmpdir(), "modelgate-serve-"));
  const classifier = path.join(root, "classifier");
  const regressor = path.join(root, "regressor");
  const options = { logger: silentLogger };
  await saveModel(
    classifier,
    await trainModel(classificationRows, config({ epochs: 3 }), { ...options, target: "label" }),
  );
  await saveModel(
    regressor,
    await trainModel(regressionRows, config({ epochs: 3 }), { ...options, target: "y" }),
  );
  return { root, classifier, regressor };
}

export async function removeAll(root: string | undefined): Promise<void> {
  if (root) await rm(root, { recursive: true, force: true });
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked with toEqual, not through types.
export type Json = any;

/** A server on a random loopback port. */
export function serve(options: Partial<ServeOptions> & { modelDir?: string }): Promise<ModelServer> {
  return createModelServer({ name: "churn", logger: silentLogger, port: 0, backend: "wasm", ...options });
}

export async function post(url: string, body: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function get(url: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

/** Rows as a client sends them: JSON values, not CSV strings. */
export const instances = [
  { a: 2.9, b: 0.1, color: "red", flag: true },
  { a: -3.1, b: 0.2, color: "blue", flag: false },
  { a: null, b: -0.4, color: "green", flag: "true" },
];
