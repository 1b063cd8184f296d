import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { type Location, UserError } from "../errors.js";

/**
 * Locates a worker script both from sources (vitest, tsx: `core/<folder>/<name>.ts`, run through tsx)
 * and from the bundle (dist/<name>.js, while this code may sit in dist/chunks/).
 */
export function workerScript(name: string, folder = "scan"): { url: URL; script?: string } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) {
    return {
      url: new URL("./ts-worker.mjs", import.meta.url),
      script: new URL(`../${folder}/${name}.ts`, import.meta.url).href,
    };
  }
  for (const dir of [path.dirname(here), path.dirname(path.dirname(here))]) {
    const candidate = path.join(dir, `${name}.js`);
    if (existsSync(candidate)) return { url: pathToFileURL(candidate) };
  }
  throw new Error(`worker script ${name}.js not found next to ${here}`);
}

/**
 * Worker threads running one script, kept for several tasks (one at a time each): a run that reads
 * several files starts its threads once. `close` ends them; idle ones never keep the process alive.
 * The script answers each message (a task) with one `{ ok, value | error }` message.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();

  constructor(private readonly name: string) {}

  /** Starts workers until `count` are idle, so they boot while the caller prepares their tasks. */
  prestart(count: number): void {
    while (this.idle.length < count) this.idle.push(this.start());
  }

  /** Runs one task on an idle worker (or a new one); a worker that failed is not used again. */
  async run<T>(task: unknown): Promise<T> {
    const worker = this.idle.pop() ?? this.start();
    worker.ref();
    const reply = await exchange<T>(worker, this.name, task);
    if (reply.dead) {
      this.all.delete(worker);
      void worker.terminate();
    } else {
      worker.unref();
      this.idle.push(worker);
    }
    if (!reply.ok) throw reply.error;
    return reply.value;
  }

  async close(): Promise<void> {
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private start(): Worker {
    const { url, script } = workerScript(this.name);
    const worker = new Worker(url, {
      workerData: script ? { __script: script } : undefined,
      // Typed reading (BatchOptions.typed) leaves little garbage: a small young generation keeps
      // memory down at no measurable cost (64 MB paid off when every cell was a string; 4 MB
      // instead of 8 saved ~3 MB of peak RSS in bench validate, user CPU unchanged).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    worker.unref();
    // A worker that dies while idle is dropped: a task posted to it would never be answered.
    worker.on("error", () => {});
    worker.once("exit", () => {
      this.all.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    this.all.add(worker);
    return worker;
  }
}

type Reply<T> = { ok: true; value: T; dead?: false } | { ok: false; error: Error; dead: boolean };

function exchange<T>(worker: Worker, name: string, task: unknown): Promise<Reply<T>> {
  return new Promise((resolve) => {
    const done = (reply: Reply<T>) => {
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      resolve(reply);
    };
    const onMessage = (message: { ok: true; value: T } | { ok: false; error: SerializedError }) =>
      done(message.ok ? message : { ok: false, error: reviveError(message.error), dead: false });
    const onError = (error: Error) => done({ ok: false, error, dead: true });
    const onExit = (code: number) =>
      done({
        ok: false,
        error: new Error(`worker ${name} exited with code ${code} before replying`),
        dead: true,
      });
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.postMessage(task);
  });
}

/**
 * The ArrayBuffers under the typed arrays in `value` (plain objects, arrays and Maps), for
 * `postMessage(value, transferables(value))`: a reply's state moves instead of being copied, so
 * neither thread holds it twice. Only for values the sender no longer uses; Buffers (which may
 * share Node's pool) and SharedArrayBuffers are left out.
 */
export function transferables(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && !Buffer.isBuffer(value)) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferables(item, found);
  } else if (value instanceof Map) {
    for (const item of value.values()) transferables(item, found);
  } else if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) transferables(item, found);
  }
  return [...found];
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  location?: unknown;
  exitCode?: number;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const extra = error as Error & { location?: unknown; exitCode?: number };
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      location: extra.location,
      exitCode: extra.exitCode,
    };
  }
  return { name: "Error", message: String(error) };
}

function reviveError(error: SerializedError): Error {
  if (error.name === "UserError") {
    return new UserError(error.message, (error.location ?? {}) as Location, error.exitCode === 1 ? 1 : 2);
  }
  const revived = new Error(error.message);
  revived.stack = error.stack;
  return revived;
}
