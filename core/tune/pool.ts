import { Worker } from "node:worker_threads";
import { formatLocation, type Location } from "../errors.js";
import type { TrialReply, TrialTask, TrialValue, TuneWorkerInit } from "../pipeline/tune-worker.js";
import { type SerializedError, workerScript } from "../scan/workers.js";

export type TrialOutcome =
  | { index: number; ok: true; value: TrialValue }
  | { index: number; ok: false; error: string };

/**
 * Runs trials on `size` long-lived worker threads, each with its own tfjs backend. A failing trial
 * is an outcome, not a failure of the pool; a worker that dies is replaced for the remaining trials.
 */
export async function runPool(
  init: TuneWorkerInit,
  tasks: TrialTask[],
  size: number,
  onDone: (outcome: TrialOutcome) => void,
): Promise<TrialOutcome[]> {
  const queue = [...tasks];
  const outcomes: TrialOutcome[] = [];
  const lane = async () => {
    let worker: TrialWorker | undefined;
    try {
      for (let task = queue.shift(); task; task = queue.shift()) {
        worker ??= new TrialWorker(init);
        const outcome = await worker.run(task);
        if (worker.dead) worker = undefined;
        outcomes.push(outcome);
        onDone(outcome);
      }
    } finally {
      await worker?.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, tasks.length)) }, lane));
  return outcomes.sort((a, b) => a.index - b.index);
}

class TrialWorker {
  private readonly worker: Worker;
  dead = false;

  constructor(init: TuneWorkerInit) {
    const { url, script } = workerScript("tune-worker", "pipeline");
    this.worker = new Worker(url, { workerData: script ? { ...init, __script: script } : init });
  }

  run(task: TrialTask): Promise<TrialOutcome> {
    return new Promise((resolve) => {
      const done = (outcome: TrialOutcome) => {
        this.worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        resolve(outcome);
      };
      const onMessage = (reply: TrialReply) =>
        done(reply.ok ? reply : { index: task.index, ok: false, error: describeFailure(reply.error) });
      const onError = (error: Error) => {
        this.dead = true;
        done({ index: task.index, ok: false, error: `worker crashed: ${error.message}` });
      };
      const onExit = (code: number) => {
        this.dead = true;
        done({ index: task.index, ok: false, error: `worker exited with code ${code} during the trial` });
      };
      this.worker.on("message", onMessage).on("error", onError).on("exit", onExit);
      this.worker.postMessage(task);
    });
  }

  async close(): Promise<void> {
    if (!this.dead) await this.worker.terminate();
  }
}

/** A user's mistake reads as "field: message"; anything else keeps its error name. */
function describeFailure(error: SerializedError): string {
  if (error.name !== "UserError") return `${error.name}: ${error.message}`;
  const where = formatLocation((error.location ?? {}) as Location);
  return where ? `${where}: ${error.message}` : error.message;
}
