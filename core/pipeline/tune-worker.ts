import { parentPort, workerData } from "node:worker_threads";
import type { LoadedConfig } from "../config/index.js";
import type { Task } from "../metrics/index.js";
import { trainingLength } from "../model/index.js";
import { silentLogger } from "../ports.js";
import { type SerializedError, serializeError } from "../scan/workers.js";
import { RunStore } from "../tracking/index.js";
import { loadTrainingData, type ProjectData } from "./dataset.js";
import { evaluateProject } from "./evaluate.js";
import { trainProject } from "./train.js";

/** Set once per worker: every trial of a sweep shares the project, the store and the sweep id. */
export interface TuneWorkerInit {
  loaded: LoadedConfig;
  cwd: string;
  storeRoot: string;
  sweep: string;
}

export interface TrialTask {
  index: number;
  params: Record<string, unknown>;
  /** Successive halving: the trial trains for its full epochs divided by this (at least 1 epoch). */
  divisor?: number;
}

export interface TrialValue {
  run: string;
  task: Task;
  metrics: Record<string, number>;
  /** Epochs trained (early stopping may end a trial before its budget). */
  epochs: number;
}

export type TrialReply =
  | { index: number; ok: true; value: TrialValue }
  | { index: number; ok: false; error: SerializedError };

/** Evaluation runs of trials are not kept: the trial's own record gets the validation metrics instead. */
class DiscardingStore extends RunStore {
  override async save(): Promise<void> {}
}

/**
 * One trial: a training with overridden params on the tuning share of the training rows, scored on
 * their validation share. The test rows are never read here (see loadTrainingData).
 */
export async function runTrial(
  init: TuneWorkerInit,
  task: TrialTask,
  data: ProjectData,
): Promise<TrialValue> {
  const store = new RunStore(init.storeRoot);
  const model = { ...init.loaded.config.model, ...task.params } as LoadedConfig["config"]["model"];
  const divisor = task.divisor ?? 1;
  const epochs =
    divisor > 1
      ? Math.max(1, Math.round(trainingLength(model, data.train.data[0]?.length ?? 0).epochs / divisor))
      : undefined;
  const trained = await trainProject(init.loaded, {
    cwd: init.cwd,
    logger: silentLogger,
    store,
    params: epochs === undefined ? task.params : { ...task.params, epochs },
    kind: "trial",
    parent: init.sweep,
    data,
  });
  const { report } = await evaluateProject(init.loaded, {
    cwd: init.cwd,
    modelDir: trained.dir,
    logger: silentLogger,
    store: new DiscardingStore(init.storeRoot),
    project: data,
  });
  await store.update(trained.run.id, (run) => ({
    ...run,
    metrics: { ...run.metrics, ...report.metrics },
    tags: { ...run.tags, trial: String(task.index), scoredOn: "validation" },
  }));
  const trainedEpochs = trained.trained?.epochs ?? trained.run.metrics.epochs ?? 0;
  return { run: trained.run.id, task: report.task, metrics: report.metrics, epochs: trainedEpochs };
}

// A long-lived worker: the tfjs backend starts once per thread, the rows are read once, both serve many trials.
if (parentPort) {
  const port = parentPort;
  const init = workerData as TuneWorkerInit;
  let data: Promise<ProjectData> | undefined;
  port.on("message", (task: TrialTask) => {
    data ??= loadTrainingData(init.loaded, { cwd: init.cwd });
    data
      .then((rows) => runTrial(init, task, rows))
      .then(
        (value) => port.postMessage({ index: task.index, ok: true, value } satisfies TrialReply),
        (error: unknown) =>
          port.postMessage({
            index: task.index,
            ok: false,
            error: serializeError(error),
          } satisfies TrialReply),
      );
  });
}
