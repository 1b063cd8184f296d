import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { type Location, UserError } from "../errors.js";

/**
 * Locates a worker script both from sources (vitest, tsx: `name.ts` beside this file, run through tsx)
 * and from the bundle (dist/<name>.js, while this code may sit in dist/chunks/).
 */
export function workerScript(name: string): { url: URL; script?: string } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) {
    return {
      url: new URL("./ts-worker.mjs", import.meta.url),
      script: new URL(`./${name}.ts`, import.meta.url).href,
    };
  }
  for (const dir of [path.dirname(here), path.dirname(path.dirname(here))]) {
    const candidate = path.join(dir, `${name}.js`);
    if (existsSync(candidate)) return { url: pathToFileURL(candidate) };
  }
  throw new Error(`worker script ${name}.js not found next to ${here}`);
}

/** Runs one task on a worker thread and resolves with its single reply. */
export function runWorker<T>(name: string, data: unknown): Promise<T> {
  const { url, script } = workerScript(name);
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(url, {
      workerData: script ? { ...(data as object), __script: script } : data,
      // Typed reading (BatchOptions.typed) leaves little garbage: a small young generation keeps
      // memory down at no measurable cost (64 MB paid off when every cell was a string).
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    let settled = false;
    worker.once("message", (message: { ok: true; value: T } | { ok: false; error: SerializedError }) => {
      settled = true;
      if (message.ok) resolve(message.value);
      else reject(reviveError(message.error));
      void worker.terminate();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`worker ${name} exited with code ${code} before replying`));
    });
  });
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
