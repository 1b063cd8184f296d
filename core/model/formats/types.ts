import type { Logger } from "../../ports.js";
import type { BackendChoice } from "../backend.js";
import type { NetworkPredictor, Prediction } from "../predict.js";
import type { Table } from "../preprocess.js";
import type { ModelKind, ModelManifest, Preprocessor } from "../schema.js";

/** Names where a request's cell came from (`instances[3].age`) for error messages. */
export type FieldOf = (row: number, column?: string) => string;

/**
 * What every kind of model looks like to serve, evaluate, publish and drift: raw feature rows in,
 * class probabilities (or numbers) out. Each kind's folder under formats/ makes one.
 */
export interface Predictor {
  readonly kind: ModelKind;
  readonly manifest: ModelManifest;
  /** The feature schema rows are read with (for modelgate-mlp and `encoded` inputs, also the encoding). */
  readonly preprocessor: Preprocessor;
  /** What scores it: a tfjs backend, or onnxruntime-web / onnxruntime-node. */
  readonly backend: string;
  /** Raw columns of a data table; errors name the column and data row. */
  predict(table: Table): Promise<Prediction>;
  /** Raw request rows; errors name `fieldOf(row, column)`. */
  predictRows(rows: Record<string, unknown>[], fieldOf: FieldOf): Promise<Prediction>;
  /** Set when the model takes modelgate's encoded rows whole: serve micro-batches through it. */
  readonly network?: NetworkPredictor;
  dispose(): void;
}

export interface FormatLoadOptions {
  backend?: BackendChoice;
  /** tfjs-backend-wasm's binaries (the bundle ships them in dist/wasm). */
  wasmDir?: string;
  logger?: Logger;
}

export type TensorType = "float32" | "float64" | "int32" | "int64" | "string" | "bool";

/** An input or output as the graph declares it; null (or a name) for a dynamic dimension. */
export interface TensorInfo {
  name: string;
  dtype: string;
  shape: Array<number | string | null> | undefined;
}

export interface Feed {
  dtype: TensorType;
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];
  dims: number[];
}

/** An opened external model: its declared inputs and outputs, and one call. */
export interface Runner {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  readonly backend: string;
  run(feeds: Record<string, Feed>, output: string): Promise<{ data: Float32Array; dims: number[] }>;
  dispose(): void;
}

/** A kind of model that `modelgate import` brings in from outside. */
export interface ImportedFormat {
  kind: Exclude<ModelKind, "modelgate-mlp">;
  /** Is `source` (a file or folder) this kind? */
  detect(source: string): Promise<boolean>;
  /** The files that make the model, relative to the model folder they are copied into. */
  files(source: string): Promise<Array<{ from: string; to: string }>>;
  /** Opens the model in a model folder (files already hash-checked). */
  open(dir: string, options: FormatLoadOptions): Promise<Runner>;
}

export type { Prediction, Table };
