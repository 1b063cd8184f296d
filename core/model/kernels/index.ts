import { type Adam, adamBody } from "./adam.js";
import { type Gemm, gemmBody } from "./gemm.js";
import { moduleBytes } from "./wasm.js";

export { ADAM_CONSTANTS } from "./adam.js";
export { GATE, RELU } from "./gemm.js";

// The slice of the WebAssembly JS API used here (the project's lib settings do not declare it).
interface Memory {
  buffer: ArrayBuffer;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (limits: { initial: number }) => Memory;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const runtimeWasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const compiled = new WeakMap<WasmApi, object>();

export interface Kernels {
  gemm: Gemm;
  adam: Adam;
  memory: Memory;
}

/** The emitted kernels module (its text rendering is committed as kernels.wat, kept fresh by a test). */
export function kernelModule(): Uint8Array {
  return moduleBytes([
    { name: "gemm", body: gemmBody() },
    { name: "adam", body: adamBody() },
  ]);
}

// (module (func (result v128) i32.const 0 i32x4.splat)): valid exactly where fixed-width SIMD is supported.
// biome-ignore format: one line per section
const SIMD_PROBE = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: [] -> [v128]
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // body: i32.const 0, i32x4.splat, end
);

export function simdSupported(api: WasmApi = runtimeWasm): boolean {
  return api?.validate(SIMD_PROBE) === true;
}

/**
 * Float offsets handed out in one kernel memory, each 4-float aligned so that rows of SIMD loads sit on
 * 16-byte lines; `floats` is the memory's size so far. Offset 0 stays unused.
 */
export function floatArena(): { alloc(count: number): number; readonly floats: number } {
  let floats = 4;
  return {
    alloc(count) {
      const at = floats;
      floats += Math.ceil(count / 4) * 4;
      return at;
    },
    get floats() {
      return floats;
    },
  };
}

// A 32-bit WebAssembly memory holds at most 65,536 pages of 64 KiB (4 GiB).
const PAGE = 65536;
const MAX_PAGES = 65536;
const pages = (bytes: number) => Math.ceil(bytes / PAGE) + 1;

/** Whether `bytes` of kernel memory fit in WebAssembly's 4 GiB (a caller says so before asking for more). */
export function memoryFits(bytes: number): boolean {
  return pages(bytes) <= MAX_PAGES;
}

/**
 * The kernels bound to a fresh memory of `bytes` bytes; undefined only where wasm SIMD is unavailable (the
 * caller falls back to tfjs). Any other failure is a bug in the emitter and throws.
 */
export function instantiateKernels(bytes: number, api: WasmApi = runtimeWasm): Kernels | undefined {
  if (!simdSupported(api)) return undefined;
  let module = compiled.get(api);
  if (!module) {
    try {
      module = new api.Module(kernelModule());
    } catch (error) {
      throw new Error(
        `the emitted WebAssembly kernels do not compile (a bug in modelgate): ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    compiled.set(api, module);
  }
  const memory = new api.Memory({ initial: pages(bytes) });
  const { exports } = new api.Instance(module, { env: { memory } });
  return { gemm: exports.gemm as Gemm, adam: exports.adam as Adam, memory };
}
