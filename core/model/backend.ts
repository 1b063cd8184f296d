import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { UserError } from "../errors.js";
import type { Logger } from "../ports.js";

export type BackendChoice = "auto" | "node" | "wasm" | "cpu";

export interface BackendOptions {
  /** Folder holding tfjs-backend-wasm's .wasm files; the bundled action ships them beside its bundle. */
  wasmDir?: string;
}

// In a variable so bundlers leave this optional, native dependency alone.
const TFJS_NODE = "@tensorflow/tfjs-node";

let wasmRegistered: Promise<boolean> | undefined;
// Our own record: asking tf.getBackend() before one is set makes tfjs initialise its defaults.
let active: string | undefined;
let nodeImported: Promise<boolean> | undefined;

/**
 * Picks and initialises the tfjs backend; returns the one in use. auto: tfjs-node when installed,
 * else wasm (measured ~25x faster than cpu for our training loop; wasm threads are off in Node,
 * tfjs issue #3830), else cpu. Calling it again with the same choice is a no-op.
 */
export async function initBackend(
  choice: BackendChoice,
  logger: Logger,
  options: BackendOptions = {},
): Promise<string> {
  // tfjs prints a "install tfjs-node" banner on first use of cpu unless PROD; core never prints.
  tf.env().set("PROD", true);
  const order = choice === "auto" ? (["tensorflow", "wasm", "cpu"] as const) : [backendName(choice)];
  for (const name of order) {
    if (active === name) return name;
    if (name === "tensorflow" && !(await importNode())) {
      if (choice === "node") {
        throw new UserError(
          "backend 'node' needs @tensorflow/tfjs-node: run npm install @tensorflow/tfjs-node",
          {
            field: "model.backend",
          },
        );
      }
      continue;
    }
    if (name === "wasm") await registerWasm(options.wasmDir);
    if (await trySetBackend(name)) {
      active = name;
      logger.debug(`tfjs backend: ${name}`);
      return name;
    }
    // A registered backend that failed to start would still be tfjs's first pick later on.
    if (tf.findBackend(name) === null && tf.engine().registryFactory[name]) tf.removeBackend(name);
    if (choice !== "auto") throw new Error(`tfjs backend '${name}' failed to initialise`);
    logger.warning(`tfjs backend '${name}' failed to initialise; trying the next one`);
  }
  throw new Error("no tfjs backend could be initialised");
}

function backendName(choice: Exclude<BackendChoice, "auto">): string {
  return choice === "node" ? "tensorflow" : choice;
}

async function trySetBackend(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function importNode(): Promise<boolean> {
  nodeImported ??= import(TFJS_NODE).then(
    () => true,
    () => false,
  );
  return nodeImported;
}

function registerWasm(wasmDir: string | undefined): Promise<boolean> {
  wasmRegistered ??= (async () => {
    const imported = await import("@tensorflow/tfjs-backend-wasm");
    // Bundled, the CommonJS package arrives as a default export; from node_modules, as named exports.
    const loose = imported as unknown as { setWasmPaths?: unknown; default?: typeof imported };
    const wasm = typeof loose.setWasmPaths === "function" ? imported : loose.default!;
    const dir = wasmDir ?? defaultWasmDir();
    // setWasmPaths wants a prefix ending in a separator.
    wasm.setWasmPaths(dir.endsWith(path.sep) || dir.endsWith("/") ? dir : `${dir}${path.sep}`);
    return true;
  })();
  return wasmRegistered;
}

function defaultWasmDir(): string {
  // The bundle (dist/, what actions run without node_modules) ships the binaries in dist/wasm.
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (!import.meta.url.endsWith(".ts")) {
    for (const dir of [path.join(here, "wasm"), path.join(here, "..", "wasm")]) {
      if (existsSync(path.join(dir, "tfjs-backend-wasm.wasm"))) return dir;
    }
  }
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
}
