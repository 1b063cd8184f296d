import { UserError } from "../errors.js";
import { eachBatch } from "./batches.js";
import { planLayout } from "./kernel-layout.js";
import { backward, type Elementwise, forward, type KernelRun, loss } from "./kernel-passes.js";
import { ADAM_CONSTANTS, instantiateKernels, type Kernels, memoryFits } from "./kernels/index.js";
import { arrayOptimizer } from "./kernels/optim.js";
import { dropThreshold } from "./random.js";
import type { Trainer, TrainerOptions } from "./trainer.js";

/**
 * The training step on our own wasm SIMD matrix kernel instead of tfjs ops. At batch 128 a tfjs-wasm
 * step was ~67 kernel dispatches at ~15 µs of engine overhead each, for ~0.2 ms of arithmetic; here a
 * step is 8 kernel calls and a few array loops over one linear memory, and no tensor is ever allocated.
 * Activations whose derivative needs the pre-activation (elu, selu, gelu, swish) stay on trainer.ts.
 */
const ELEMENTWISE = {
  linear: { forward: (z: number) => z, slope: (_a: number) => 1 },
  tanh: { forward: Math.tanh, slope: (a: number) => 1 - a * a },
  sigmoid: { forward: (z: number) => 1 / (1 + Math.exp(-z)), slope: (a: number) => a * (1 - a) },
  relu: { forward: (z: number) => Math.max(z, 0), slope: (a: number) => (a > 0 ? 1 : 0) },
} as const satisfies Record<string, Elementwise>;

export function kernelSupports(activation: string): activation is keyof typeof ELEMENTWISE {
  return Object.hasOwn(ELEMENTWISE, activation);
}

// Rows per forward pass when evaluating; the training batch may be larger.
const EVAL_ROWS = 1024;

/** undefined when the activation needs trainer.ts or wasm SIMD is unavailable. */
export function createKernelTrainer(options: TrainerOptions, batchSize: number): Trainer | undefined {
  if (!kernelSupports(options.activation)) return undefined;
  const relu = options.activation === "relu";
  const at = planLayout({
    shapes: options.shapes,
    paramCount: options.initial.length,
    capacity: Math.max(batchSize, EVAL_ROWS),
    dropout: options.dropout,
    relu,
    ...(options.optimizer === "adam" ? { adamConstants: ADAM_CONSTANTS } : {}),
  });
  if (!memoryFits(at.floats * 4)) throw tooLarge(options, batchSize, at.floats * 4);
  const kernels = instantiateKernels(at.floats * 4);
  if (!kernels) return undefined;
  const mem = new Float32Array(kernels.memory.buffer);
  mem.fill(1, at.ones, at.ones + at.capacity);
  mem.set(options.initial, at.params);
  const outputs = options.shapes.at(-1)![1];
  const run: KernelRun = {
    options,
    at,
    mem,
    gemm: kernels.gemm,
    act: ELEMENTWISE[options.activation],
    relu,
    outputs,
    drop: { threshold: dropThreshold(options.dropout), keep: 1 / (1 - options.dropout), calls: 0 },
    exps: new Float64Array(outputs),
  };
  return kernelTrainer(run, optimizerStep(run, kernels));
}

/** A network and batch whose training memory is past what WebAssembly can address: the config's to change. */
function tooLarge(options: TrainerOptions, batchSize: number, bytes: number): UserError {
  const hidden = options.shapes.slice(0, -1).map(([, units]) => units);
  const gib = (bytes / 2 ** 30).toFixed(1);
  return new UserError(
    `model.hidden [${hidden.join(", ")}] with model.batchSize ${batchSize} needs ${gib} GiB of memory to train, ` +
      "over WebAssembly's 4 GiB: lower model.batchSize or the widest hidden layer",
    { field: "model.batchSize" },
  );
}

/** The optimiser's update of the parameters from their gradients, in place. */
function optimizerStep(run: KernelRun, kernels: Kernels): () => void {
  const { options, at, mem } = run;
  const count = options.initial.length;
  if (options.optimizer !== "adam") {
    const update = arrayOptimizer(options.optimizer, options.learningRate, count);
    return update.bind(
      null,
      mem.subarray(at.params, at.params + count),
      mem.subarray(at.grads, at.grads + count),
    );
  }
  const adam = at.adam!;
  let t = 0;
  return () => {
    t++;
    const [beta1, beta2] = [0.9, 0.999];
    // Kingma & Ba's "efficient" form: bias corrections folded into one scalar step size.
    const step = (options.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    mem.set([beta1, 1 - beta1, beta2, 1 - beta2, step, 1e-7], adam.constants);
    kernels.adam(4 * at.params, 4 * at.grads, 4 * adam.moment, 4 * adam.velocity, 4 * adam.constants, count);
  };
}

/** The Trainer over a run's memory: batches in, one forward, loss, backward and update per batch. */
function kernelTrainer(run: KernelRun, update: () => void): Trainer {
  const { at, mem, outputs } = run;
  const inputs = run.options.shapes[0]![0];
  const params = mem.subarray(at.params, at.params + run.options.initial.length);
  const yBatch = new Float32Array(at.capacity * outputs);
  let lossSum = 0;
  let lossRows = 0;
  return {
    trainEpoch(x, y, order, size) {
      if (size > at.capacity) throw new Error(`batch of ${size} rows exceeds the trainer's ${at.capacity}`);
      eachBatch({ x, y, inputs, outputs }, order, size, { x: mem, xAt: at.x, y: yBatch }, (rows) => {
        forward(run, rows, true);
        lossSum += loss(run, rows, yBatch, 0, true);
        lossRows += rows;
        backward(run, rows);
        update();
      });
    },
    epochLoss() {
      const mean = lossRows > 0 ? lossSum / lossRows : Number.NaN;
      lossSum = 0;
      lossRows = 0;
      return mean;
    },
    evaluate(x, y, rows) {
      let total = 0;
      for (let start = 0; start < rows; start += at.capacity) {
        const m = Math.min(at.capacity, rows - start);
        mem.set(x.subarray(start * inputs, (start + m) * inputs), at.x);
        forward(run, m, false);
        total += loss(run, m, y, start * outputs, false);
      }
      return total / rows;
    },
    weights: () => params.slice(),
    setWeights: (flat) => params.set(flat),
    dispose() {},
  };
}
