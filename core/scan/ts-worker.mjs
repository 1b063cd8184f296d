// Runs a TypeScript worker from sources (tests, tsx): Node 20 workers ignore `--import tsx` in execArgv
// for .ts entry points, so the loader is registered here before the real module is imported.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.__script);
