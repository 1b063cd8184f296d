import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { UserError } from "../../../errors.js";
import { MAX_WEIGHT_BYTES, readCapped } from "../../io.js";
import type { Feed, ImportedFormat, Runner, TensorInfo } from "../types.js";

export const ONNX_FILE = "model.onnx";
// In a variable so bundlers leave this optional, native peer alone.
const ORT_NODE = "onnxruntime-node";
const WASM = "ort-wasm-simd-threaded";

type Ort = typeof import("onnxruntime-web");
let runtime: Promise<{ ort: Ort; name: string }> | undefined;

/**
 * onnxruntime-node when the user installed it (native, faster), else onnxruntime-web's WebAssembly
 * build, which bundles into the actions: no native code, one thread (no worker files to ship).
 */
function loadRuntime(): Promise<{ ort: Ort; name: string }> {
  runtime ??= (async () => {
    try {
      // CommonJS: its exports may arrive on the namespace or only as its default.
      const imported = (await import(ORT_NODE)) as Ort & { default?: Ort };
      return { ort: imported.InferenceSession ? imported : imported.default!, name: "onnxruntime-node" };
    } catch {
      const ort = await import("onnxruntime-web");
      ort.env.wasm.numThreads = 1;
      const dir = bundledWasmDir();
      if (dir) {
        ort.env.wasm.wasmPaths = {
          mjs: pathToFileURL(path.join(dir, `${WASM}.mjs`)).href,
          wasm: pathToFileURL(path.join(dir, `${WASM}.wasm`)).href,
        };
      }
      return { ort, name: "onnxruntime-web" };
    }
  })();
  return runtime;
}

/** The bundle (dist/) ships onnxruntime-web's binaries in dist/onnx; from node_modules it finds its own. */
function bundledWasmDir(): string | undefined {
  if (import.meta.url.endsWith(".ts")) return undefined;
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.join(here, "onnx"), path.join(here, "..", "onnx")].find((dir) =>
    existsSync(path.join(dir, `${WASM}.wasm`)),
  );
}

export const onnxFormat: ImportedFormat = {
  kind: "onnx",
  async detect(source) {
    const info = await stat(source).catch(() => undefined);
    return info?.isFile() === true && source.toLowerCase().endsWith(".onnx");
  },
  async files(source) {
    return [{ from: source, to: ONNX_FILE }];
  },
  async open(dir) {
    const file = path.join(dir, ONNX_FILE);
    const bytes = await readCapped(file, MAX_WEIGHT_BYTES);
    const { ort, name } = await loadRuntime();
    let session: Awaited<ReturnType<Ort["InferenceSession"]["create"]>>;
    try {
      session = await ort.InferenceSession.create(
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError(
        `not a loadable ONNX model: ${reason.replace(/^Can't create a session\.\s*/, "")}`,
        { file },
      );
    }
    return sessionRunner(ort, session, name);
  },
};

type Session = Awaited<ReturnType<Ort["InferenceSession"]["create"]>>;

function sessionRunner(ort: Ort, session: Session, backend: string): Runner {
  const describe = (names: readonly string[], metadata: readonly unknown[] | undefined): TensorInfo[] =>
    names.map((name, i) => {
      const meta = metadata?.[i] as
        | { isTensor?: boolean; type?: string; shape?: Array<number | string> }
        | undefined;
      return {
        name,
        dtype: meta?.isTensor === false ? "non-tensor" : (meta?.type ?? "float32"),
        shape: meta?.shape?.map((d) => (typeof d === "number" && d >= 0 ? d : null)),
      };
    });
  // One run at a time: a session's wasm state is not re-entrant.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    inputs: describe(session.inputNames, session.inputMetadata),
    outputs: describe(session.outputNames, session.outputMetadata),
    backend,
    run(feeds, output) {
      const next = queue.then(async () => {
        const tensors = Object.fromEntries(
          Object.entries(feeds).map(([name, f]: [string, Feed]) => [
            name,
            new ort.Tensor(f.dtype, f.data as never, f.dims),
          ]),
        );
        let result: Awaited<ReturnType<Session["run"]>>;
        try {
          result = await session.run(tensors, [output]);
        } catch (error) {
          throw new UserError(
            `the ONNX model failed to score: ${error instanceof Error ? error.message : error}`,
            {
              field: "model.signature",
            },
          );
        }
        const tensor = result[output]!;
        const data =
          tensor.data instanceof Float32Array
            ? tensor.data
            : Float32Array.from(tensor.data as ArrayLike<number>, Number);
        return { data, dims: [...tensor.dims] };
      });
      queue = next.catch(() => undefined);
      return next;
    },
    dispose: () => void session.release(),
  };
}
