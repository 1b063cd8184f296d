import type { KernelLayout } from "./kernel-layout.js";
import type { Gemm } from "./kernels/gemm.js";
import { GATE, RELU } from "./kernels/index.js";
import { softmaxRows } from "./kernels/softmax.js";
import { dropoutBase, dropped } from "./random.js";
import type { TrainerOptions } from "./trainer.js";

/** A hidden activation and its derivative in terms of its output (what the backward pass keeps). */
export interface Elementwise {
  forward: (z: number) => number;
  slope: (a: number) => number;
}

/** What the kernel trainer's passes share: its options, its memory and where things are in it. */
export interface KernelRun {
  options: TrainerOptions;
  at: KernelLayout;
  mem: Float32Array;
  gemm: Gemm;
  act: Elementwise;
  relu: boolean;
  outputs: number;
  /** Dropout's hash threshold, the kept units' scale 1/(1-p), and masks drawn so far (the mask seed). */
  drop: { threshold: number; keep: number; calls: number };
  exps: Float64Array;
}

/** One gemm call in float offsets (the kernel takes byte addresses); see kernels/gemm.ts. */
interface Product {
  a: number;
  b: number;
  c: number;
  bias: number;
  gate?: number;
  m: number;
  n: number;
  k: number;
  aRow: number;
  aCol: number;
  mode?: number;
}

function product(gemm: Gemm, p: Product): void {
  const gate = p.gate === undefined ? 0 : 4 * p.gate;
  gemm(4 * p.a, 4 * p.b, 4 * p.c, 4 * p.bias, gate, p.m, p.n, p.k, p.aRow, p.aCol, p.mode ?? 0);
}

/** Rows at `x` through every layer; in training, hidden outputs are dropped out (into `out`). */
export function forward(run: KernelRun, rows: number, training: boolean): void {
  const { at, options, relu } = run;
  const { shapes, dropout } = options;
  const layers = shapes.length;
  let input = at.x;
  for (let l = 0; l < layers; l++) {
    const [inputs, units] = shapes[l]!;
    const hidden = l < layers - 1;
    const target = at.active[l]!;
    const [kernel, bias] = [at.params + at.kernelAt[l]!, at.params + at.biasAt[l]!];
    const mode = hidden && relu ? RELU : 0;
    product(run.gemm, {
      a: input,
      b: kernel,
      c: target,
      bias,
      m: rows,
      n: units,
      k: inputs,
      aRow: inputs,
      aCol: 1,
      mode,
    });
    const size = rows * units;
    if (hidden && !relu && options.activation !== "linear") activate(run, target, size);
    if (hidden && training && dropout > 0) dropOut(run, l, size);
    input = hidden && training ? at.out[l]! : target;
  }
}

function activate(run: KernelRun, from: number, size: number): void {
  const { mem } = run;
  const { forward } = run.act;
  for (let i = from; i < from + size; i++) mem[i] = forward(mem[i]!);
}

/** Layer l's activations times their dropout mask into its output (and the mask, where one is kept). */
function dropOut(run: KernelRun, l: number, size: number): void {
  const { mem, at, drop } = run;
  const [target, mask, kept] = [at.active[l]!, at.masks[l]!, at.out[l]!];
  // Drawn row by row, unit by unit, as trainer.ts draws them: the same seed gives the same masks.
  const base = dropoutBase(run.options.seed, drop.calls++);
  const { threshold, keep } = drop;
  for (let i = 0; i < size; i++) {
    const m = dropped(base, i, threshold) ? 0 : keep;
    if (mask >= 0) mem[mask + i] = m;
    mem[kept + i] = mem[target + i]! * m;
  }
}

/** The batch's summed loss; with `gradient`, writes dL/dlogits of the batch mean. */
export function loss(
  run: KernelRun,
  rows: number,
  y: Float32Array,
  yOffset: number,
  gradient: boolean,
): number {
  const { mem, at, outputs } = run;
  const layers = run.options.shapes.length;
  const logits = at.active[layers - 1]!;
  const d = at.delta[layers - 1]!;
  if (run.options.loss === "crossentropy") softmaxRows(mem, logits, rows, outputs, run.exps);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const row = logits + r * outputs;
    const truth = yOffset + r * outputs;
    if (run.options.loss === "mse") {
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

/** From dL/dlogits (written by `loss`) to every parameter's gradient at `grads`. */
export function backward(run: KernelRun, rows: number): void {
  const { at, options } = run;
  const { shapes } = options;
  for (let l = shapes.length - 1; l >= 0; l--) {
    const [inputs, units] = shapes[l]!;
    const input = l === 0 ? at.x : at.out[l - 1]!;
    const d = at.delta[l]!;
    // dW = inputᵀ·dZ (A read transposed through its strides), db = onesᵀ·dZ.
    const [dKernel, dBias] = [at.grads + at.kernelAt[l]!, at.grads + at.biasAt[l]!];
    product(run.gemm, {
      a: input,
      b: d,
      c: dKernel,
      bias: at.zeros,
      m: inputs,
      n: units,
      k: rows,
      aRow: 1,
      aCol: inputs,
    });
    product(run.gemm, {
      a: at.ones,
      b: d,
      c: dBias,
      bias: at.zeros,
      m: 1,
      n: units,
      k: rows,
      aRow: 0,
      aCol: 1,
    });
    if (l === 0) break;
    propagate(run, l, rows);
  }
  if (options.l2 > 0) addL2(run);
}

/** dL/d(pre-activation) of layer l - 1 from layer l's. */
function propagate(run: KernelRun, l: number, rows: number): void {
  const { mem, at, relu } = run;
  const [inputs, units] = run.options.shapes[l]!;
  // dA = dZ·Wᵀ, with Wᵀ copied out: the kernel wants B row-major. Under ReLU with dropout the mask is
  // 0 or 1/(1-p): gating on the dropped output zeroes dropped and inactive units alike, and the kept
  // units' factor 1/(1-p) is folded into the copy of Wᵀ, so the whole backward stays in the kernel.
  const w = at.params + at.kernelAt[l]!;
  const scale = relu && run.options.dropout > 0 ? run.drop.keep : 1;
  for (let k = 0; k < inputs; k++)
    for (let n = 0; n < units; n++) mem[at.transposed + n * inputs + k] = scale * mem[w + k * units + n]!;
  const [d, below] = [at.delta[l]!, at.delta[l - 1]!];
  const gate = { gate: at.out[l - 1]!, mode: relu ? GATE : 0 };
  product(run.gemm, {
    a: d,
    b: at.transposed,
    c: below,
    bias: at.zeros,
    m: rows,
    n: inputs,
    k: units,
    aRow: units,
    aCol: 1,
    ...gate,
  });
  if (relu) return;
  const a = at.active[l - 1]!;
  const mask = at.masks[l - 1]!;
  const { slope } = run.act;
  for (let i = 0; i < rows * inputs; i++) {
    const da = mask >= 0 ? mem[below + i]! * mem[mask + i]! : mem[below + i]!;
    mem[below + i] = da * slope(mem[a + i]!);
  }
}

/** L2 on kernels only (Keras's kernelRegularizer): 2·l2·w added to each kernel weight's gradient. */
function addL2(run: KernelRun): void {
  const { mem, at, options } = run;
  const [params, grads] = [at.params, at.grads];
  for (let l = 0; l < options.shapes.length; l++) {
    const [inputs, units] = options.shapes[l]!;
    for (let i = at.kernelAt[l]!; i < at.kernelAt[l]! + inputs * units; i++)
      mem[grads + i]! += 2 * options.l2 * mem[params + i]!;
  }
}
