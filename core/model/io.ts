import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { z } from "zod";
import { fsError, UserError } from "../errors.js";
import { parseAt } from "../parse.js";
import { type Logger, silentLogger } from "../ports.js";
import { type BackendChoice, initBackend } from "./backend.js";
import { MANIFEST_FORMAT, MlpManifest, ModelJson, ModelManifest, type Preprocessor } from "./schema.js";
import type { TrainedModel } from "./train.js";

export const MODEL_JSON = "model.json";
export const WEIGHTS_BIN = "weights.bin";
export const MANIFEST_JSON = "modelgate.json";
export const MAX_JSON_BYTES = 10 * 1024 * 1024;
export const MAX_WEIGHT_BYTES = 500 * 1024 * 1024;

export interface LoadedModel {
  model: tf.LayersModel;
  manifest: MlpManifest;
  preprocessor: Preprocessor;
  inputDim: number;
}

export function manifestOf(trained: TrainedModel, run?: unknown): MlpManifest {
  const { preprocessor, config, inputDim, backend } = trained;
  const target = preprocessor.target;
  return {
    format: MANIFEST_FORMAT,
    kind: "modelgate-mlp",
    task: target.task,
    target: target.name,
    features: preprocessor.features.map((f) => ({ name: f.name, kind: f.kind })),
    ...(target.task === "classification" ? { classes: target.classes } : {}),
    preprocessor,
    config,
    inputDim,
    backend,
    ...(run === undefined ? {} : { run }),
  };
}

/** Writes tfjs's standard layout (model.json + weights.bin, readable by any tfjs loader) and modelgate.json. */
export async function saveModel(dir: string, trained: TrainedModel, run?: unknown): Promise<void> {
  await mkdir(dir, { recursive: true });
  await trained.model.save(fileSaveHandler(dir));
  const manifest = MlpManifest.parse(manifestOf(trained, run));
  await writeFile(path.join(dir, MANIFEST_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A tf.io handler for a folder, without tfjs-node's file:// router. */
function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      const weights = joinBuffers(artifacts.weightData);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      await writeFile(path.join(dir, WEIGHTS_BIN), weights);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: "JSON",
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}

function joinBuffers(data: tf.io.WeightData | undefined): Uint8Array {
  const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return out;
}

export interface LoadOptions {
  backend?: BackendChoice;
  logger?: Logger;
  wasmDir?: string;
}

/** Loads an untrusted model folder: sizes capped, JSON schema-checked, weight paths kept inside `dir`. */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const logger = options.logger ?? silentLogger;
  await initBackend(options.backend ?? "auto", logger, options.wasmDir ? { wasmDir: options.wasmDir } : {});
  const manifestFile = path.join(dir, MANIFEST_JSON);
  const manifest = await readManifest(dir);
  if (manifest.kind !== "modelgate-mlp") {
    throw new UserError(`holds a ${manifest.kind} model, not a modelgate-built one`, {
      file: manifestFile,
      field: "kind",
    });
  }
  const modelFile = path.join(dir, MODEL_JSON);
  const modelJson = parseJson(ModelJson, await readCapped(modelFile, MAX_JSON_BYTES), modelFile);
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const weightData = await readWeights(dir, modelJson, expectedBytes(weightSpecs, modelFile));
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: weightSpecs as tf.io.WeightsManifestEntry[],
        weightData,
      }),
    );
  } catch (error) {
    throw new UserError(
      `not a loadable tfjs layers model: ${error instanceof Error ? error.message : error}`,
      {
        file: modelFile,
      },
    );
  }
  checkShapes(model, manifest, modelFile);
  return { model, manifest, preprocessor: manifest.preprocessor, inputDim: manifest.inputDim };
}

/** A model folder's modelgate.json, schema-checked (format 1 read as a modelgate-mlp). */
export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = path.join(dir, MANIFEST_JSON);
  return parseJson(ModelManifest, await readCapped(file, MAX_JSON_BYTES), file);
}

export async function readCapped(file: string, maxBytes: number): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UserError("not a regular file", { file });
    if (info.size > maxBytes)
      throw new UserError(`file is ${info.size} bytes; the limit is ${maxBytes}`, { file });
    return await readFile(file);
  } catch (error) {
    throw error instanceof UserError ? error : fsError(error, file);
  }
}

export function parseJson<T extends z.ZodType>(schema: T, bytes: Buffer, file: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new UserError(`not valid JSON: ${error instanceof Error ? error.message : error}`, { file });
  }
  return parseAt(schema, value, { what: "not a valid model file", file });
}

const BYTES_PER = { float32: 4, int32: 4, bool: 1 } as const;

export function expectedBytes(specs: ModelJson["weightsManifest"][number]["weights"], file: string): number {
  let total = 0;
  for (const spec of specs) {
    if (spec.quantization !== undefined) throw new UserError("quantized weights are not supported", { file });
    total += spec.shape.reduce((a, b) => a * b, 1) * BYTES_PER[spec.dtype];
  }
  if (total > MAX_WEIGHT_BYTES)
    throw new UserError(`weights need ${total} bytes; the limit is ${MAX_WEIGHT_BYTES}`, { file });
  return total;
}

/** A weight path must name a file inside the model folder: no absolute paths, no way out through "..". */
export function resolveInside(dir: string, relative: string, file: string): string {
  const root = path.resolve(dir);
  const resolved = path.resolve(root, relative);
  if (path.isAbsolute(relative) || relative.includes("\\") || !resolved.startsWith(root + path.sep)) {
    throw new UserError(`weight path ${JSON.stringify(relative)} leaves the model folder`, {
      file,
      field: "weightsManifest.paths",
    });
  }
  return resolved;
}

export async function readWeights(dir: string, modelJson: ModelJson, expected: number): Promise<ArrayBuffer> {
  const modelFile = path.join(dir, MODEL_JSON);
  const files = modelJson.weightsManifest
    .flatMap((g) => g.paths)
    .map((p) => resolveInside(dir, p, modelFile));
  const parts: Buffer[] = [];
  let total = 0;
  for (const file of files) {
    const part = await readCapped(file, MAX_WEIGHT_BYTES - total);
    total += part.byteLength;
    parts.push(part);
  }
  if (total !== expected) {
    const names = files.map((f) => path.relative(dir, f)).join(", ");
    throw new UserError(
      `${names}: ${total} bytes, but model.json describes ${expected}; the file is truncated or corrupt`,
      {
        file: files.length === 1 ? files[0]! : modelFile,
      },
    );
  }
  const buffer = Buffer.concat(parts);
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

function checkShapes(model: tf.LayersModel, manifest: MlpManifest, file: string): void {
  const input = model.inputs[0]?.shape[1];
  const output = model.outputs[0]?.shape[1];
  const expectedOutput = manifest.classes?.length ?? 1;
  if (input !== manifest.inputDim || output !== expectedOutput) {
    throw new UserError(
      `model takes ${input} inputs and gives ${output} outputs; ${MANIFEST_JSON} expects ${manifest.inputDim} and ${expectedOutput}`,
      { file },
    );
  }
}
