import { parentPort } from "node:worker_threads";
import { type RangeTask, readRanges } from "./profile-data.js";
import { serializeError, transferables } from "./workers.js";

// The range reader of profile-data.ts (validate and drift), named for the dist/ entry it has always had.
// One task per message, one reply each, until the pool (WorkerPool) ends the thread.
parentPort?.on("message", (task: RangeTask) => {
  readRanges(task).then(
    // Moved, not copied: this thread keeps nothing of a finished task.
    (value) => parentPort?.postMessage({ ok: true, value }, value ? transferables(value) : []),
    (error: unknown) => parentPort?.postMessage({ ok: false, error: serializeError(error) }),
  );
});
