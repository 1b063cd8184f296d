import { parentPort, workerData } from "node:worker_threads";
import type { LoadedConfig } from "../config/index.js";
import type { Task } from "../metrics/index.js";
import { silentLogger } from "../ports.js";
import { RunStore } from "../tracking/index.js";
import { evaluateProject } from "./evaluate.js";
import { trainProject } from "./train.js";
import { type SerializedError, serializeError } from "./workers.js";

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
}

export interface TrialValue {
  run: string;
  task: Task;
  metrics: Record<string, number>;
}

export type TrialReply =
  | { index: number; ok: true; value: TrialValue }
  | { index: number; ok: false; error: SerializedError };

/** Evaluation runs of trials are not kept: the trial's own record gets the test metrics instead. */
class DiscardingStore extends RunStore {
  override async save(): Promise<void> {}
}

/** One trial: a training with overridden params, scored on the project's test rows. */
export async function runTrial(init: TuneWorkerInit, task: TrialTask): Promise<TrialValue> {
  const store = new RunStore(init.storeRoot);
  const trained = await trainProject(init.loaded, {
    cwd: init.cwd,
    logger: silentLogger,
    store,
    params: task.params,
    kind: "trial",
    parent: init.sweep,
  });
  const { report } = await evaluateProject(init.loaded, {
    cwd: init.cwd,
    modelDir: trained.dir,
    logger: silentLogger,
    store: new DiscardingStore(init.storeRoot),
  });
  await store.update(trained.run.id, (run) => ({
    ...run,
    metrics: { ...run.metrics, ...report.metrics },
    tags: { ...run.tags, trial: String(task.index) },
  }));
  return { run: trained.run.id, task: report.task, metrics: report.metrics };
}

// A long-lived worker: the tfjs backend starts once per thread and serves many trials.
if (parentPort) {
  const port = parentPort;
  const init = workerData as TuneWorkerInit;
  port.on("message", (task: TrialTask) => {
    runTrial(init, task).then(
      (value) => port.postMessage({ index: task.index, ok: true, value } satisfies TrialReply),
      (error: unknown) =>
        port.postMessage({ index: task.index, ok: false, error: serializeError(error) } satisfies TrialReply),
    );
  });
}
