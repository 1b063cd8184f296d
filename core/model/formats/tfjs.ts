import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { UserError } from "../../errors.js";
import { initBackend } from "../backend.js";
import {
  expectedBytes,
  MAX_JSON_BYTES,
  MODEL_JSON,
  parseJson,
  readCapped,
  readWeights,
  resolveInside,
} from "../io.js";
import { ModelJson } from "../schema.js";
import type { FormatLoadOptions, TensorInfo } from "./types.js";

/** A TensorFlow.js model folder's format ("layers-model" or "graph-model"), or undefined when it is none. */
export async function tfjsFormatOf(source: string): Promise<string | undefined> {
  const info = await stat(source).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const file = path.join(source, MODEL_JSON);
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const json = parseJson(ModelJson, Buffer.from(text), file);
  return json.format ?? "layers-model";
}

/** model.json and every weight file it names, kept at the same relative paths. */
export async function tfjsFiles(source: string): Promise<Array<{ from: string; to: string }>> {
  const file = path.join(source, MODEL_JSON);
  const json = parseJson(ModelJson, await readCapped(file, MAX_JSON_BYTES), file);
  const weights = json.weightsManifest.flatMap((g) => g.paths);
  for (const p of weights) resolveInside(source, p, file);
  return [MODEL_JSON, ...new Set(weights)].map((p) => ({ from: path.join(source, p), to: p }));
}

/** Reads a tfjs folder the way loadModel does: sizes capped, paths kept inside, byte counts checked. */
export async function readTfjs(dir: string, options: FormatLoadOptions): Promise<tf.io.ModelArtifacts> {
  await initBackend(
    options.backend ?? "auto",
    options.logger ?? silent,
    options.wasmDir ? { wasmDir: options.wasmDir } : {},
  );
  const file = path.join(dir, MODEL_JSON);
  const json = parseJson(ModelJson, await readCapped(file, MAX_JSON_BYTES), file);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const weightData = await readWeights(dir, json, expectedBytes(weightSpecs, file));
  return {
    modelTopology: json.modelTopology,
    weightSpecs: weightSpecs as tf.io.WeightsManifestEntry[],
    weightData,
    ...(json.format ? { format: json.format } : {}),
    ...(json.signature ? { signature: json.signature as object } : {}),
  };
}

export function loadError(kind: string, dir: string, error: unknown): UserError {
  return new UserError(`not a loadable ${kind}: ${error instanceof Error ? error.message : error}`, {
    file: path.join(dir, MODEL_JSON),
  });
}

export const tensorInfo = (
  name: string,
  shape: readonly (number | null)[] | undefined,
  dtype: string,
): TensorInfo => ({
  name,
  dtype,
  shape: shape?.map((d) => (d === null || d < 0 ? null : d)),
});

/** One Float32Array out of a tensor, freed after. */
export function readOut(tensor: tf.Tensor): { data: Float32Array; dims: number[] } {
  try {
    return { data: Float32Array.from(tensor.dataSync() as ArrayLike<number>), dims: [...tensor.shape] };
  } finally {
    tensor.dispose();
  }
}

export function toTensor(feed: { dtype: string; data: unknown; dims: number[] }): tf.Tensor {
  const dtype =
    feed.dtype === "bool"
      ? "bool"
      : feed.dtype === "string"
        ? "string"
        : feed.dtype.startsWith("int")
          ? "int32"
          : "float32";
  const data = feed.data instanceof BigInt64Array ? Int32Array.from(feed.data, Number) : feed.data;
  return tf.tensor(data as tf.TensorLike, feed.dims, dtype);
}

const silent = { debug() {}, info() {}, warning() {}, error() {} } as never;
