import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UserError } from "../errors.js";
import type { BackendChoice, ModelManifest } from "../model/index.js";
import type { Logger } from "../ports.js";
import { createHandler } from "./handler.js";
import { openPredictionLog, type PredictionLog, type PredictionLogOptions } from "./log.js";
import { createMetrics } from "./metrics.js";
import { createHolder, folderLoader, type ModelHolder, type ModelLoader } from "./model.js";
import { servedName } from "./name.js";
import { createRoutes } from "./routes.js";
import { ModelName } from "./schema.js";

export type { PredictionLogOptions } from "./log.js";
export type { ModelLoader } from "./model.js";

export interface ServeOptions {
  /** A model folder (`modelgate train --out`); or `loader`, which names the folder and its version. */
  modelDir?: string;
  loader?: ModelLoader;
  /** The NAME in /v1/models/NAME and /v2/models/NAME; default: the model's run record, then `defaultName`. */
  name?: string;
  /** Used when neither `name` nor the model's run record names it (the project config's name); else "model". */
  defaultName?: string;
  logger: Logger;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxBodyBytes?: number;
  predictionLog?: PredictionLogOptions;
  batchWindowMs?: number;
  maxBatch?: number;
  /** With `loader`: ask it this often and reload when the version changed (a moved registry alias). */
  pollIntervalMs?: number;
  backend?: BackendChoice;
  wasmDir?: string;
  /** close() waits this long for in-flight requests, then cuts the connections. */
  drainTimeoutMs?: number;
  serverVersion?: string;
}

export interface ModelServer {
  url: string;
  /** Stops accepting, answers what is in flight, flushes the prediction log. */
  close(): Promise<void>;
  /** Loads the model again (from `loader` when given) and swaps it in atomically. */
  reload(): Promise<void>;
  model(): { name: string; version: string; manifest: ModelManifest };
  /** Counters for tests and benchmarks: fewer model calls than requests means micro-batching worked. */
  stats(): { requests: number; modelCalls: number };
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
// Past a few hundred rows a tfjs call costs in proportion to its rows, so bigger batches only add latency.
export const DEFAULT_MAX_BATCH = 256;

/** The prediction server: TF Serving v1, Open Inference Protocol v2 and MLflow routes over one model. */
export async function createModelServer(options: ServeOptions): Promise<ModelServer> {
  const { logger } = options;
  const loader = loaderOf(options);
  const metrics = createMetrics();
  const holder = await createHolder({
    loader,
    logger,
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.wasmDir ? { wasmDir: options.wasmDir } : {}),
    batchWindowMs: options.batchWindowMs ?? 0,
    maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH,
    onCall: (rows) => metrics.modelCall(rows),
  });
  let name: string;
  let log: PredictionLog | undefined;
  try {
    name = checkName(servedName(options.name, holder.current().loaded.manifest, options.defaultName));
    log = options.predictionLog ? await openLog(options.predictionLog, logger) : undefined;
  } catch (error) {
    holder.close();
    throw error;
  }
  let closing = false;
  let requests = 0;
  const routes = createRoutes({
    modelName: name,
    holder,
    metrics,
    log,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    serverVersion: options.serverVersion ?? "0.1.0",
    isReady: () => !closing,
  });
  const handle = createHandler({ routes, metrics, logger, isClosing: () => closing });
  const server = httpServer((req, res) => {
    requests++;
    handle(req, res);
  });
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, host, options.port ?? DEFAULT_PORT).catch(async (error: unknown) => {
    holder.close();
    await log?.close();
    throw error;
  });
  const poll =
    options.loader && options.pollIntervalMs
      ? startPolling(holder, options.pollIntervalMs, logger)
      : undefined;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close() {
      closed ??= (async () => {
        closing = true;
        if (poll) clearInterval(poll);
        await drain(server, options.drainTimeoutMs ?? 10_000);
        holder.close();
        await log?.close();
      })();
      return closed;
    },
    async reload() {
      await holder.reload();
    },
    model() {
      const current = holder.current();
      return { name: name, version: current.version, manifest: current.loaded.manifest };
    },
    stats: () => ({ requests, modelCalls: metrics.modelCalls }),
  };
}

function loaderOf(options: ServeOptions): ModelLoader {
  const loader = options.loader ?? (options.modelDir ? folderLoader(options.modelDir) : undefined);
  if (!loader) throw new UserError("give a model folder or a loader", { field: "modelDir" });
  return loader;
}

async function openLog(options: PredictionLogOptions, logger: Logger): Promise<PredictionLog> {
  try {
    return await openPredictionLog(options, logger);
  } catch (error) {
    throw new UserError(`cannot open the prediction log: ${(error as Error).message}`, {
      file: options.file,
    });
  }
}

function checkName(given: string): string {
  const name = ModelName.safeParse(given);
  if (!name.success) {
    const reason = name.error.issues[0]?.message;
    throw new UserError(`model name ${JSON.stringify(given)}: ${reason}`, { field: "name" });
  }
  return name.data;
}

function httpServer(listener: RequestListener): Server {
  const server = createServer(
    { keepAliveTimeout: 5_000, headersTimeout: 10_000, requestTimeout: 30_000 },
    listener,
  );
  // Malformed HTTP never reaches the handler; answer it rather than dropping the socket silently.
  server.on("clientError", (_error, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

/** Asks the loader for its version now and then: a registry alias moved means a reload. */
function startPolling(holder: ModelHolder, intervalMs: number, logger: Logger): NodeJS.Timeout {
  return setInterval(() => {
    holder.reload({ ifChanged: true }).catch((error: unknown) => {
      logger.error(`model reload failed, still serving the old version: ${(error as Error).message}`);
    });
  }, intervalMs).unref();
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === "EADDRINUSE"
          ? "is in use"
          : error.code === "EACCES"
            ? "needs privileges"
            : error.message;
      reject(new UserError(`cannot listen on ${host}:${port}: the port ${reason}`, { field: "port" }));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Stop accepting, let in-flight requests finish (their responses say `connection: close`), then cut. */
function drain(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs).unref();
    // A keep-alive socket that finishes its last request after close() began is idle, not closed.
    const sweep = setInterval(() => server.closeIdleConnections(), 50).unref();
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
