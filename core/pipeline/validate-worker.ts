import { parentPort, workerData } from "node:worker_threads";
import { type RangeTask, validateRange } from "./validate.js";
import { serializeError } from "./workers.js";

export type { RangeResult, RangeTask } from "./validate.js";

if (parentPort) {
  validateRange(workerData as RangeTask).then(
    (value) => parentPort?.postMessage({ ok: true, value }),
    (error: unknown) => parentPort?.postMessage({ ok: false, error: serializeError(error) }),
  );
}
