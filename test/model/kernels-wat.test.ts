import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { instantiateKernels, simdSupported, type WasmApi } from "../../core/model/kernels/index.js";
import { KERNELS_WAT, kernelsWat } from "../../scripts/kernels-wat.js";

const realWasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

describe("the emitted kernels", () => {
  it("match the committed kernels.wat (run `npm run kernels` after changing the emitter)", async () => {
    const committed = await readFile(KERNELS_WAT, "utf8");

    const fresh = await kernelsWat();

    expect(committed).toBe(fresh);
    expect(fresh).toContain('(func $gemm (export "gemm")');
    expect(fresh).toContain('(func $adam (export "adam")');
  });

  it("instantiate where SIMD is supported (this Node has it)", () => {
    expect(simdSupported()).toBe(true);

    const kernels = instantiateKernels(1024);

    expect(kernels && typeof kernels.gemm).toBe("function");
    expect(kernels && typeof kernels.adam).toBe("function");
  });

  it("return undefined where the SIMD probe does not validate, without compiling anything", () => {
    const noSimd: WasmApi = {
      ...bind(realWasm),
      validate: () => false,
      Module: class {
        constructor() {
          throw new Error("compiled on a runtime without SIMD");
        }
      },
    };

    expect(simdSupported(noSimd)).toBe(false);
    expect(instantiateKernels(1024, noSimd)).toBeUndefined();
  });

  it("throw, naming the emitter, when the module does not compile on a runtime with SIMD", () => {
    const broken: WasmApi = {
      ...bind(realWasm),
      Module: class {
        constructor(bytes: Uint8Array) {
          // The emitted bytes with their code section cut short: what an emitter bug looks like.
          new realWasm.Module(bytes.subarray(0, bytes.length - 1));
        }
      },
    };

    expect(() => instantiateKernels(1024, broken)).toThrow(/emitted WebAssembly kernels do not compile.*bug/);
  });
});

function bind(api: WasmApi): WasmApi {
  return { validate: (b) => api.validate(b), Module: api.Module, Memory: api.Memory, Instance: api.Instance };
}
