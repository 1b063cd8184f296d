import { afterEach, describe, expect, it, vi } from "vitest";
import { UserError } from "../../core/errors.js";
import { trainModel } from "../../core/model/index.js";
import { createKernelTrainer } from "../../core/model/kernel-trainer.js";
import type { WasmApi } from "../../core/model/kernels/index.js";
import { layerShapes } from "../../core/model/network.js";
import type { TrainerOptions } from "../../core/model/trainer.js";
import { memoryLogger } from "../../core/ports.js";
import { classificationTable, config } from "./data.js";

// Issue 22: only "no SIMD here" (the validate probe) hands training to tfjs; anything else is an error.
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
// tfjs's cpu backend keeps tfjs itself off WebAssembly, so a broken WebAssembly breaks only our kernels.
const cpu = config({ backend: "cpu", epochs: 2 });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("training on the kernels", () => {
  it("runs on the kernels where SIMD validates, and says so", async () => {
    const logger = memoryLogger();

    await trainModel(classificationTable(60, ["no", "yes"]), cpu, { target: "label", logger });

    expect(logger.lines).toContain("info: trained 2 epoch(s) on modelgate's wasm SIMD kernels");
  });

  it("hands training to tfjs only where the SIMD probe does not validate, and says so", async () => {
    const logger = memoryLogger();
    vi.spyOn(wasm, "validate").mockReturnValue(false);

    await trainModel(classificationTable(60, ["no", "yes"]), cpu, { target: "label", logger });

    expect(logger.lines).toContain("info: trained 2 epoch(s) on tfjs cpu");
  });

  it("fails, not falls back, when the kernels cannot be instantiated on a runtime with SIMD", async () => {
    const logger = memoryLogger();
    vi.spyOn(wasm, "Instance").mockImplementation(function refuse() {
      throw new Error("instance refused");
    });

    const training = trainModel(classificationTable(60, ["no", "yes"]), cpu, { target: "label", logger });

    await expect(training).rejects.toThrow("instance refused");
    expect(logger.lines.filter((line) => line.startsWith("info: trained"))).toEqual([]);
  });

  it("refuses a network and batch past WebAssembly's 4 GiB as the config's error, naming model.batchSize", () => {
    const shapes = layerShapes([16384], 20, 2);
    const options: TrainerOptions = {
      shapes,
      activation: "relu",
      dropout: 0.1,
      l2: 0,
      optimizer: "adam",
      learningRate: 0.01,
      loss: "crossentropy",
      seed: 1,
      initial: new Float32Array(shapes.reduce((sum, [k, n]) => sum + k * n + n, 0)),
    };

    let error: unknown;
    try {
      createKernelTrainer(options, 65536);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location).toEqual({ field: "model.batchSize" });
    expect((error as UserError).message).toMatch(
      /model\.hidden \[16384\] with model\.batchSize 65536 needs 12\.0 GiB/,
    );
  });
});
