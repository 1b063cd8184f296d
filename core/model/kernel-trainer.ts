import { ADAM_CONSTANTS, GATE, instantiateKernels, RELU } from "./kernels/index.js";
import { arrayOptimizer } from "./kernels/optim.js";
import { softmaxRows } from "./kernels/softmax.js";
import { dropoutBase, dropped, dropThreshold } from "./random.js";
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
} as const;

export function kernelSupports(activation: string): activation is keyof typeof ELEMENTWISE {
  return Object.hasOwn(ELEMENTWISE, activation);
}

// Rows per forward pass when evaluating; the training batch may be larger.
const EVAL_ROWS = 1024;

/** undefined when the activation needs trainer.ts or wasm SIMD is unavailable. */
export function createKernelTrainer(options: TrainerOptions, batchSize: number): Trainer | undefined {
  const { shapes, dropout, l2 } = options;
  if (!kernelSupports(options.activation)) return undefined;
  const act = ELEMENTWISE[options.activation];
  const relu = options.activation === "relu";
  const capacity = Math.max(batchSize, EVAL_ROWS);
  const inputDim = shapes[0]![0];
  const outputs = shapes.at(-1)![1];
  const layers = shapes.length;
  const paramCount = options.initial.length;
  const widest = Math.max(...shapes.map(([, n]) => n));

  // Float offsets into one memory; 4-float alignment keeps rows of SIMD loads on 16-byte lines.
  let floats = 4;
  const alloc = (count: number) => {
    const at = floats;
    floats += Math.ceil(count / 4) * 4;
    return at;
  };
  const params = alloc(paramCount);
  const grads = alloc(paramCount);
  const kernelAt: number[] = [];
  const biasAt: number[] = [];
  let offset = 0;
  for (const [inputs, units] of shapes) {
    kernelAt.push(offset);
    biasAt.push(offset + inputs * units);
    offset += inputs * units + units;
  }
  const x = alloc(capacity * inputDim);
  // Per layer: its output (after dropout), the activation before dropout, dL/d(pre-activation), dropout mask.
  const out = shapes.map(([, n]) => alloc(capacity * n));
  const active = shapes.map(([, n], l) => (dropout > 0 && l < layers - 1 ? alloc(capacity * n) : out[l]!));
  // ReLU's backward gates on the dropped output itself (see backward): only other activations keep masks.
  const masks = shapes.map(([, n], l) => (dropout > 0 && !relu && l < layers - 1 ? alloc(capacity * n) : -1));
  const delta = shapes.map(([, n]) => alloc(capacity * n));
  const transposed = alloc(Math.max(...shapes.map(([k, n]) => k * n)));
  const zeros = alloc(widest);
  const ones = alloc(capacity);
  const adam = options.optimizer === "adam";
  const [moment, velocity, constants] = adam
    ? [alloc(paramCount), alloc(paramCount), alloc(ADAM_CONSTANTS)]
    : [];
  const kernel = instantiateKernels(floats * 4);
  if (!kernel) return undefined;
  const { gemm } = kernel;
  const mem = new Float32Array(kernel.memory.buffer);
  mem.fill(1, ones, ones + capacity);
  const paramView = mem.subarray(params, params + paramCount);
  const gradView = mem.subarray(grads, grads + paramCount);
  paramView.set(options.initial);
  let t = 0;
  const update =
    options.optimizer === "adam"
      ? () => {
          t++;
          const [beta1, beta2] = [0.9, 0.999];
          // Kingma & Ba's "efficient" form: bias corrections folded into one scalar step size.
          const step = (options.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
          mem.set([beta1, 1 - beta1, beta2, 1 - beta2, step, 1e-7], constants!);
          kernel.adam(4 * params, 4 * grads, 4 * moment!, 4 * velocity!, 4 * constants!, paramCount);
        }
      : arrayOptimizer(options.optimizer, options.learningRate, paramCount).bind(null, paramView, gradView);
  const threshold = dropThreshold(dropout);
  const keep = 1 / (1 - dropout);
  let dropCalls = 0;
  const yBatch = new Float32Array(capacity * outputs);
  const exps = new Float64Array(outputs);
  let lossSum = 0;
  let lossRows = 0;

  function forward(rows: number, training: boolean): void {
    let input = x;
    for (let l = 0; l < layers; l++) {
      const [inputs, units] = shapes[l]!;
      const hidden = l < layers - 1;
      const target = active[l]!;
      gemm(
        4 * input,
        4 * (params + kernelAt[l]!),
        4 * target,
        4 * (params + biasAt[l]!),
        0,
        rows,
        units,
        inputs,
        inputs,
        1,
        hidden && relu ? RELU : 0,
      );
      const size = rows * units;
      if (hidden && !relu && options.activation !== "linear") {
        for (let i = target; i < target + size; i++) mem[i] = act.forward(mem[i]!);
      }
      if (hidden && training && dropout > 0) {
        const [mask, kept] = [masks[l]!, out[l]!];
        // Drawn row by row, unit by unit, as trainer.ts draws them: the same seed gives the same masks.
        const base = dropoutBase(options.seed, dropCalls++);
        for (let i = 0; i < size; i++) {
          const m = dropped(base, i, threshold) ? 0 : keep;
          if (mask >= 0) mem[mask + i] = m;
          mem[kept + i] = mem[target + i]! * m;
        }
      }
      input = hidden && training ? out[l]! : target;
    }
  }

  /** Adds the batch's summed loss; with `gradient`, writes dL/dlogits of the batch mean. */
  function loss(rows: number, y: Float32Array, yOffset: number, gradient: boolean): number {
    const logits = active[layers - 1]!;
    const d = delta[layers - 1]!;
    if (options.loss === "crossentropy") softmaxRows(mem, logits, rows, outputs, exps);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const row = logits + r * outputs;
      const truth = yOffset + r * outputs;
      if (options.loss === "mse") {
        const diff = mem[row]! - y[truth]!;
        total += diff * diff;
        if (gradient) mem[d + r] = (2 * diff) / rows;
        continue;
      }
      let p = 0;
      for (let c = 0; c < outputs; c++) {
        const probability = mem[row + c]!;
        p += y[truth + c]! * probability;
        if (gradient) mem[d + r * outputs + c] = (probability - y[truth + c]!) / rows;
      }
      // Keras's epsilon, as trainer.ts clips.
      total -= Math.log(p + 1e-7);
    }
    return total;
  }

  function backward(rows: number): void {
    for (let l = layers - 1; l >= 0; l--) {
      const [inputs, units] = shapes[l]!;
      const input = l === 0 ? x : out[l - 1]!;
      const d = delta[l]!;
      // dW = inputᵀ·dZ (A read transposed through its strides), db = onesᵀ·dZ.
      gemm(4 * input, 4 * d, 4 * (grads + kernelAt[l]!), 4 * zeros, 0, inputs, units, rows, 1, inputs, 0);
      gemm(4 * ones, 4 * d, 4 * (grads + biasAt[l]!), 4 * zeros, 0, 1, units, rows, 0, 1, 0);
      if (l === 0) break;
      // dA = dZ·Wᵀ, with Wᵀ copied out: the kernel wants B row-major. Under ReLU with dropout the mask is
      // 0 or 1/(1-p): gating on the dropped output zeroes dropped and inactive units alike, and the kept
      // units' factor 1/(1-p) is folded into the copy of Wᵀ, so the whole backward stays in the kernel.
      const w = params + kernelAt[l]!;
      const scale = relu && dropout > 0 ? keep : 1;
      for (let k = 0; k < inputs; k++)
        for (let n = 0; n < units; n++) mem[transposed + n * inputs + k] = scale * mem[w + k * units + n]!;
      const below = delta[l - 1]!;
      const gated = relu;
      gemm(
        4 * d,
        4 * transposed,
        4 * below,
        4 * zeros,
        4 * out[l - 1]!,
        rows,
        inputs,
        units,
        units,
        1,
        gated ? GATE : 0,
      );
      if (gated) continue;
      const a = active[l - 1]!;
      const mask = masks[l - 1]!;
      for (let i = 0; i < rows * inputs; i++) {
        const da = mask >= 0 ? mem[below + i]! * mem[mask + i]! : mem[below + i]!;
        mem[below + i] = da * act.slope(mem[a + i]!);
      }
    }
    if (l2 > 0) {
      for (let l = 0; l < layers; l++) {
        const [inputs, units] = shapes[l]!;
        for (let i = kernelAt[l]!; i < kernelAt[l]! + inputs * units; i++)
          gradView[i]! += 2 * l2 * paramView[i]!;
      }
    }
  }

  return {
    trainEpoch(xs, ys, order, size) {
      if (size > capacity) throw new Error(`batch of ${size} rows exceeds the trainer's ${capacity}`);
      for (let start = 0; start < order.length; start += size) {
        const rows = Math.min(size, order.length - start);
        for (let k = 0; k < rows; k++) {
          const r = order[start + k]!;
          for (let j = 0; j < inputDim; j++) mem[x + k * inputDim + j] = xs[r * inputDim + j]!;
          for (let c = 0; c < outputs; c++) yBatch[k * outputs + c] = ys[r * outputs + c]!;
        }
        forward(rows, true);
        lossSum += loss(rows, yBatch, 0, true);
        lossRows += rows;
        backward(rows);
        update();
      }
    },
    epochLoss() {
      const mean = lossRows > 0 ? lossSum / lossRows : Number.NaN;
      lossSum = 0;
      lossRows = 0;
      return mean;
    },
    evaluate(xs, ys, rows) {
      let total = 0;
      for (let start = 0; start < rows; start += capacity) {
        const m = Math.min(capacity, rows - start);
        mem.set(xs.subarray(start * inputDim, (start + m) * inputDim), x);
        forward(m, false);
        total += loss(m, ys, start * outputs, false);
      }
      return total / rows;
    },
    weights: () => paramView.slice(),
    setWeights: (flat) => paramView.set(flat),
    dispose() {},
  };
}
