import { type BackendChoice, type LoadedModel, loadModel } from "../model/index.js";
import type { Logger } from "../ports.js";
import { type Batcher, createBatcher } from "./batcher.js";

/** Where the model comes from: a folder, or a function that resolves a registry alias to one. */
export type ModelLoader = () => Promise<{ dir: string; version: string }>;

/** One loaded model version and its batcher; replaced whole on reload so a request sees one version. */
export interface Served {
  version: string;
  dir: string;
  loaded: LoadedModel;
  batcher: Batcher;
  /** Predictions per class index (one slot for regression), for /metrics. */
  predicted: number[];
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
    // Requests encoded for the old version are still queued on its batcher: run them before freeing it.
    previous.batcher.flush();
    previous.loaded.model.dispose();
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
      current.batcher.flush();
      current.loaded.model.dispose();
    },
  };
}

async function load(options: HolderOptions, target: { dir: string; version: string }): Promise<Served> {
  const loaded = await loadModel(target.dir, {
    logger: options.logger,
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.wasmDir ? { wasmDir: options.wasmDir } : {}),
  });
  const target_ = loaded.preprocessor.target;
  return {
    version: target.version,
    dir: target.dir,
    loaded,
    batcher: createBatcher(loaded, {
      windowMs: options.batchWindowMs,
      maxBatch: options.maxBatch,
      onCall: options.onCall,
    }),
    predicted: new Array(target_.task === "classification" ? target_.classes.length : 1).fill(0),
  };
}

/** A fixed folder: version "1", then "2", ... on each reload, the way TF Serving numbers versions. */
export function folderLoader(dir: string): ModelLoader {
  let version = 0;
  return async () => ({ dir, version: String(++version) });
}
