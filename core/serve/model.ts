import { type BackendChoice, loadPredictor, type Prediction, type Predictor } from "../model/index.js";
import type { Logger } from "../ports.js";
import { type Batcher, type BatcherOptions, createBatcher } from "./batcher.js";
import { checkFiniteInputs } from "./finite.js";
import { createRowBatcher } from "./row-batcher.js";
import { encodeRows, type FieldOf, type Row } from "./rows.js";

/** Where the model comes from: a folder, or a function that resolves a registry alias to one. */
export type ModelLoader = () => Promise<{ dir: string; version: string }>;

/** One loaded model version and its batcher; replaced whole on reload so a request sees one version. */
export interface Served {
  version: string;
  dir: string;
  /** Any kind of model, through the format layer. */
  loaded: Predictor;
  /** Micro-batching, for models that take modelgate's encoded rows whole (modelgate-mlp). */
  batcher: Batcher | undefined;
  /** Scores request rows with this version; a UserError names the request's field. */
  predict(rows: Row[], fieldOf: FieldOf): Promise<Prediction>;
  /** Runs what is queued, waits for what is running, then frees the model. */
  release(): Promise<void>;
  /** Predictions per class index (one slot for regression), for /metrics. */
  predicted: number[];
  /** The request fields the prediction log keeps: the features, then the id column when there is one. */
  logColumns: string[];
}

export interface HolderOptions {
  loader: ModelLoader;
  logger: Logger;
  backend?: BackendChoice;
  wasmDir?: string;
  batchWindowMs: number;
  maxBatch: number;
  onCall: (rows: number) => void;
}

export interface ModelHolder {
  current(): Served;
  /** Loads what the loader names now and swaps it in; resolves false when the version is unchanged. */
  reload(options?: { ifChanged?: boolean }): Promise<boolean>;
  /** Runs queued predictions and frees the model. */
  close(): void;
}

/** Loads the first version; loadModel's UserError (naming the file) keeps the server from starting. */
export async function createHolder(options: HolderOptions): Promise<ModelHolder> {
  let current = await load(options, await options.loader());
  // Reloads run one at a time: SIGHUP and the alias poll may fire together.
  let pending: Promise<boolean> = Promise.resolve(true);

  const reloadOnce = async (ifChanged: boolean): Promise<boolean> => {
    const target = await options.loader();
    if (ifChanged && target.version === current.version && target.dir === current.dir) return false;
    const next = await load(options, target);
    const previous = current;
    current = next;
    // Requests for the old version still queued or running finish on it before it is freed.
    void previous.release();
    options.logger.info(`serving model version ${next.version} (was ${previous.version})`);
    return true;
  };

  return {
    current: () => current,
    reload(reloadOptions = {}) {
      pending = pending.catch(() => false).then(() => reloadOnce(reloadOptions.ifChanged === true));
      return pending;
    },
    close() {
      void current.release();
    },
  };
}

async function load(options: HolderOptions, target: { dir: string; version: string }): Promise<Served> {
  const loaded = await loadPredictor(target.dir, {
    logger: options.logger,
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.wasmDir ? { wasmDir: options.wasmDir } : {}),
  });
  const target_ = loaded.preprocessor.target;
  const batchOptions = {
    windowMs: options.batchWindowMs,
    maxBatch: options.maxBatch,
    onCall: options.onCall,
  };
  const batcher = loaded.network ? createBatcher(loaded.network, batchOptions) : undefined;
  return {
    version: target.version,
    dir: target.dir,
    loaded,
    batcher,
    ...(batcher ? encodedServing(loaded, batcher) : rowServing(loaded, batchOptions)),
    predicted: new Array(target_.task === "classification" ? target_.classes.length : 1).fill(0),
    logColumns: [
      ...loaded.preprocessor.features.map((f) => f.name),
      ...(loaded.preprocessor.id ? [loaded.preprocessor.id] : []),
    ],
  };
}

/** modelgate-built models: rows encoded per request, then micro-batched into one kernel call (synchronous). */
function encodedServing(loaded: Predictor, batcher: Batcher): Pick<Served, "predict" | "release"> {
  return {
    predict: (rows, fieldOf) => {
      const x = encodeRows(loaded.preprocessor, rows, fieldOf);
      // A value that overflows once scaled is refused (422) before the model runs.
      checkFiniteInputs(loaded.preprocessor, x, rows, fieldOf);
      return batcher.predict(x, rows.length);
    },
    async release() {
      batcher.flush();
      loaded.dispose();
    },
  };
}

/** Imported models (ONNX, tfjs) take raw rows and score asynchronously: freed only once idle. */
function rowServing(loaded: Predictor, options: BatcherOptions): Pick<Served, "predict" | "release"> {
  const batcher = createRowBatcher(loaded, options);
  const running = new Set<Promise<unknown>>();
  return {
    predict(rows, fieldOf) {
      const call = batcher.predict(rows, fieldOf);
      running.add(call);
      call.then(
        () => running.delete(call),
        () => running.delete(call),
      );
      return call;
    },
    async release() {
      batcher.flush();
      await Promise.allSettled([...running]);
      loaded.dispose();
    },
  };
}

/** A fixed folder: version "1", then "2", ... on each reload, the way TF Serving numbers versions. */
export function folderLoader(dir: string): ModelLoader {
  let version = 0;
  return async () => ({ dir, version: String(++version) });
}
