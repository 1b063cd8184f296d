import type * as tf from "@tensorflow/tfjs";
import { instantiateKernels, RELU } from "./kernels/index.js";
import { softmaxRows } from "./kernels/softmax.js";

/**
 * model.predict for a stack of Dense layers on the training kernel: the weights are read from the
 * model on each call (so it always runs what the model holds), the arithmetic never enters tfjs.
 * For a 64-32 MLP this is several times quicker than tfjs-wasm, whose per-layer dispatch and
 * first-call setup dominate at these sizes. Any other architecture returns undefined: use model.predict.
 */
type Apply = (v: Float32Array, at: number, rows: number, units: number) => void;
const elementwise =
  (f: (z: number) => number): Apply =>
  (v, at, rows, units) => {
    for (let i = at; i < at + rows * units; i++) v[i] = f(v[i]!);
  };
const APPLY: Record<string, Apply | undefined> = {
  // ReLU runs inside the kernel.
  linear: () => {},
  relu: () => {},
  tanh: elementwise(Math.tanh),
  sigmoid: elementwise((z) => 1 / (1 + Math.exp(-z))),
  softmax: (v, at, rows, units) => softmaxRows(v, at, rows, units, new Float64Array(units)),
};

interface DenseLayer {
  inputs: number;
  units: number;
  activation: string;
  kernel: Float32Array;
  bias: Float32Array;
}

// Rows per pass: bounds the memory for wide inputs; past a few thousand rows the rate stops changing.
const CHUNK_ROWS = 1024;

function denseLayers(model: tf.LayersModel): DenseLayer[] | undefined {
  const layers: DenseLayer[] = [];
  for (const layer of model.layers) {
    const config = layer.getConfig();
    const activation = String(config.activation ?? "linear");
    const weights = layer.getWeights();
    if (layer.getClassName() !== "Dense" || !APPLY[activation] || weights.length !== 2) return undefined;
    const [kernel, bias] = weights as [tf.Tensor, tf.Tensor];
    const [inputs, units] = kernel.shape as [number, number];
    const previous = layers.at(-1);
    if (kernel.rank !== 2 || (previous && previous.units !== inputs)) return undefined;
    layers.push({
      inputs,
      units,
      activation,
      kernel: kernel.dataSync() as Float32Array,
      bias: bias.dataSync() as Float32Array,
    });
  }
  return layers.length > 0 ? layers : undefined;
}

/** rows x outputs, as model.predict gives them; undefined when the model is not a plain Dense stack. */
export function kernelPredict(
  model: tf.LayersModel,
  x: Float32Array,
  rows: number,
): Float32Array | undefined {
  const layers = denseLayers(model);
  if (!layers) return undefined;
  const chunk = Math.max(1, Math.min(rows, CHUNK_ROWS));
  let floats = 4;
  const alloc = (count: number) => {
    const at = floats;
    floats += Math.ceil(count / 4) * 4;
    return at;
  };
  const placed = layers.map((l) => ({
    ...l,
    w: alloc(l.kernel.length),
    b: alloc(l.units),
    out: alloc(chunk * l.units),
  }));
  const input = alloc(chunk * layers[0]!.inputs);
  const kernel = instantiateKernels(floats * 4);
  if (!kernel) return undefined;
  const mem = new Float32Array(kernel.memory.buffer);
  for (const l of placed) {
    mem.set(l.kernel, l.w);
    mem.set(l.bias, l.b);
  }
  const last = placed.at(-1)!;
  const result = new Float32Array(rows * last.units);
  for (let start = 0; start < rows; start += chunk) {
    const m = Math.min(chunk, rows - start);
    mem.set(x.subarray(start * placed[0]!.inputs, (start + m) * placed[0]!.inputs), input);
    let from = input;
    for (const l of placed) {
      const mode = l.activation === "relu" ? RELU : 0;
      kernel.gemm(4 * from, 4 * l.w, 4 * l.out, 4 * l.b, 0, m, l.units, l.inputs, l.inputs, 1, mode);
      APPLY[l.activation]!(mem, l.out, m, l.units);
      from = l.out;
    }
    result.set(mem.subarray(last.out, last.out + m * last.units), start * last.units);
  }
  return result;
}
