import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { initBackend } from "../../core/model/index.js";
import { kernelPredict } from "../../core/model/kernel-predict.js";
import { createKernelTrainer } from "../../core/model/kernel-trainer.js";
import { GATE, instantiateKernels, RELU, type WasmApi } from "../../core/model/kernels/index.js";
import { buildNetwork, flattenWeights, layerShapes } from "../../core/model/network.js";
import { prng } from "../../core/model/random.js";
import { createTrainer, type TrainerOptions } from "../../core/model/trainer.js";
import { silentLogger } from "../../core/ports.js";

function randoms(count: number, seed: number): Float32Array {
  const random = prng(seed);
  return Float32Array.from({ length: count }, () => random() * 2 - 1);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

beforeAll(async () => {
  await initBackend("wasm", silentLogger);
});

describe("gemm kernel", () => {
  it.each([
    [128, 64, 20, false, 0],
    [7, 3, 5, false, RELU],
    [13, 37, 9, true, GATE],
    [1, 12, 128, true, 0],
  ] as const)(
    "matches a plain product for %i x %i x %i (A transposed: %s, mode %i)",
    (m, n, k, transposed, mode) => {
      const [a, b, bias, gate] = [randoms(m * k, 1), randoms(k * n, 2), randoms(n, 3), randoms(m * n, 4)];
      const kernel = instantiateKernels(4 * (a.length + b.length + bias.length + 2 * gate.length + 64))!;
      const mem = new Float32Array(kernel.memory.buffer);
      const at = [4, 4 + a.length, 4 + a.length + b.length, 4 + a.length + b.length + n];
      const out = at[3]! + m * n;
      for (const [i, values] of [a, b, bias, gate].entries()) mem.set(values, at[i]!);
      const [aRow, aCol] = transposed ? [1, m] : [k, 1];

      kernel.gemm(4 * at[0]!, 4 * at[1]!, 4 * out, 4 * at[2]!, 4 * at[3]!, m, n, k, aRow, aCol, mode);

      const expected = new Float32Array(m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = bias[j]!;
          for (let q = 0; q < k; q++) sum += a[i * aRow + q * aCol]! * b[q * n + j]!;
          if (mode === RELU) sum = Math.max(sum, 0);
          if (mode === GATE && !(gate[i * n + j]! > 0)) sum = 0;
          expected[i * n + j] = sum;
        }
      }
      expect(maxDifference(mem.subarray(out, out + m * n), expected)).toBeLessThan(1e-5);
    },
  );
});

describe("kernelPredict", () => {
  it.each([
    ["relu", "softmax", 3],
    ["tanh", "softmax", 2],
    ["sigmoid", "linear", 1],
    ["linear", "softmax", 5],
  ] as const)("agrees with model.predict (%s hidden, %s output)", (activation, output, units) => {
    const model = buildNetwork({ hidden: [9, 6], activation, seed: 3 }, 11, units, output);
    const x = randoms(300 * 11, 5);

    const ours = kernelPredict(model, x, 300)!;
    const theirs = tf.tidy(() => (model.predict(tf.tensor2d(x, [300, 11])) as tf.Tensor).dataSync());

    expect(maxDifference(ours, theirs)).toBeLessThan(1e-5);
    model.dispose();
  });

  it("runs the weights the model holds now, after setWeights and on a larger batch", () => {
    const model = buildNetwork({ hidden: [9, 6], activation: "relu", seed: 3 }, 11, 3, "softmax");
    const x = randoms(300 * 11, 5);
    kernelPredict(model, x.subarray(0, 11), 1);
    model.setWeights(model.getWeights().map((w) => tf.mul(w, 0.5)));

    const ours = kernelPredict(model, x, 300)!;
    const theirs = tf.tidy(() => (model.predict(tf.tensor2d(x, [300, 11])) as tf.Tensor).dataSync());

    expect(maxDifference(ours, theirs)).toBeLessThan(1e-5);
    model.dispose();
  });

  it("declines where WebAssembly SIMD is unavailable, leaving it to model.predict", () => {
    const model = buildNetwork({ hidden: [4], activation: "relu", seed: 1 }, 3, 2, "softmax");
    const probe = vi
      .spyOn((globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly, "validate")
      .mockReturnValue(false);

    const ours = kernelPredict(model, randoms(3, 1), 1);

    probe.mockRestore();
    expect(ours).toBeUndefined();
    expect(kernelPredict(model, randoms(3, 1), 1)).toHaveLength(2);
    model.dispose();
  });

  it("declines what is not a plain Dense stack, leaving it to model.predict", () => {
    const model = buildNetwork({ hidden: [4], activation: "elu", seed: 1 }, 3, 2, "softmax");

    expect(kernelPredict(model, randoms(3, 1), 1)).toBeUndefined();
    model.dispose();
  });
});

describe("kernel trainer", () => {
  it.each([
    ["relu", "adam", 0, "crossentropy", 0],
    ["relu", "adam", 0, "crossentropy", 0.3],
    ["tanh", "rmsprop", 0.01, "crossentropy", 0.2],
    ["sigmoid", "adagrad", 0, "mse", 0],
    ["linear", "sgd", 0.01, "mse", 0],
  ] as const)(
    "takes the steps tfjs's trainer takes (%s, %s, l2 %d, %s, dropout %d)",
    (activation, optimizer, l2, loss, dropout) => {
      const outputs = loss === "mse" ? 1 : 3;
      const model = buildNetwork({ hidden: [10, 5], activation, seed: 2 }, 7, outputs, "linear");
      const options: TrainerOptions = {
        shapes: layerShapes([10, 5], 7, outputs),
        activation,
        dropout,
        l2,
        optimizer,
        learningRate: 0.01,
        loss,
        seed: 1,
        initial: flattenWeights(model),
      };
      const rows = 100;
      const x = randoms(rows * 7, 6);
      const y = new Float32Array(rows * outputs);
      for (let r = 0; r < rows; r++) {
        if (loss === "mse") y[r] = x[r * 7]! - x[r * 7 + 1]!;
        else y[r * outputs + (r % outputs)] = 1;
      }
      const order = Uint32Array.from({ length: rows }, (_, i) => (i * 37) % rows);
      const ours = createKernelTrainer(options, 16)!;
      const theirs = createTrainer(options);

      for (const trainer of [ours, theirs]) trainer.trainEpoch(x, y, order, 16);

      expect(maxDifference(ours.weights(), theirs.weights())).toBeLessThan(1e-4);
      expect(ours.epochLoss()).toBeCloseTo(theirs.epochLoss(), 4);
      expect(ours.evaluate(x, y, rows)).toBeCloseTo(theirs.evaluate(x, y, rows), 4);
      theirs.dispose();
      model.dispose();
    },
  );

  it("is not made where WebAssembly SIMD is unavailable, so training takes tfjs's trainer", () => {
    const model = buildNetwork({ hidden: [4], activation: "relu", seed: 2 }, 3, 2, "linear");
    const options: TrainerOptions = {
      shapes: layerShapes([4], 3, 2),
      activation: "relu",
      dropout: 0,
      l2: 0,
      optimizer: "adam",
      learningRate: 0.01,
      loss: "crossentropy",
      seed: 1,
      initial: flattenWeights(model),
    };
    const probe = vi.spyOn((globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly, "validate");
    probe.mockReturnValue(false);

    const withoutSimd = createKernelTrainer(options, 16);

    probe.mockRestore();
    expect(withoutSimd).toBeUndefined();
    expect(createKernelTrainer(options, 16)).toBeDefined();
    model.dispose();
  });
});
