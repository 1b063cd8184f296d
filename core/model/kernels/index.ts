import { type Adam, adamBody } from "./adam.js";
import { type Gemm, gemmBody } from "./gemm.js";
import { moduleBytes } from "./wasm.js";

export { ADAM_CONSTANTS } from "./adam.js";
export { GATE, RELU } from "./gemm.js";

// The slice of the WebAssembly JS API used here (the project's lib settings do not declare it).
interface Memory {
  buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (limits: { initial: number }) => Memory;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: object | undefined;

export interface Kernels {
  gemm: Gemm;
  adam: Adam;
  memory: Memory;
}

/** The kernels bound to a fresh memory of `bytes` bytes; undefined where wasm SIMD is unavailable. */
export function instantiateKernels(bytes: number): Kernels | undefined {
  try {
    compiled ??= new wasm.Module(
      moduleBytes([
        { name: "gemm", params: 11, body: gemmBody() },
        { name: "adam", params: 6, body: adamBody() },
      ]),
    );
  } catch {
    return undefined;
  }
  const memory = new wasm.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  const { exports } = new wasm.Instance(compiled, { env: { memory } });
  return { gemm: exports.gemm as Gemm, adam: exports.adam as Adam, memory };
}
