import type * as tf from "@tensorflow/tfjs";
import { instantiateKernels, type Kernels, RELU } from "./kernels/index.js";
import { softmaxRows } from "./kernels/softmax.js";
import type { Network } from "./network.js";

/**
 * model.predict for a stack of Dense layers (a plain Network, or a tfjs model holding one) on the
 * training kernel: the arithmetic never enters tfjs.
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

interface PlacedLayer {
  inputs: number;
  units: number;
  apply: Apply;
  mode: number;
  /** Float offsets into the kernel's memory. */
  w: number;
  b: number;
  out: number;
}

/**
 * A model's weights placed in one wasm memory, kept between calls: a fresh memory and instance per
 * call cost more than a served row's arithmetic, and the stream of wasm memories they left behind made
 * V8 run a full GC every few hundred ms under load (the serving p99). `weights` are the tfjs tensors'
 * data ids: setWeights and training replace them, so a changed model is noticed and placed again.
 */
interface Plan {
  weights: object[];
  layers: PlacedLayer[];
  /** Rows the activations have room for. */
  chunk: number;
  input: number;
  kernel: Kernels;
  mem: Float32Array;
}

/** Writes rows [start, start + rows) of the encoded input into `mem` at float offset `at`, row-major. */
export type FillRows = (mem: Float32Array, at: number, start: number, rows: number) => void;

// Rows per pass: bounds the memory for wide inputs; past a few thousand rows the rate stops changing.
const CHUNK_ROWS = 1024;
const plans = new WeakMap<object, Plan>();

function weightIds(model: tf.LayersModel): object[] {
  const ids: object[] = [];
  for (const layer of model.layers) for (const w of layer.weights) ids.push(w.read().dataId);
  return ids;
}

const sameIds = (a: object[], b: object[]) => a.length === b.length && a.every((id, i) => id === b[i]);

interface DenseLayer {
  inputs: number;
  units: number;
  activation: string;
  kernel: Float32Array;
  bias: Float32Array;
}

/** A tfjs model's Dense stack, or undefined for any other architecture. */
function denseOfModel(model: tf.LayersModel): DenseLayer[] | undefined {
  const dense: DenseLayer[] = [];
  for (const layer of model.layers) {
    const config = layer.getConfig();
    const activation = String(config.activation ?? "linear");
    const tensors = layer.getWeights();
    if (layer.getClassName() !== "Dense" || !APPLY[activation] || tensors.length !== 2) return undefined;
    const [kernel, bias] = tensors as [tf.Tensor, tf.Tensor];
    const [inputs, units] = kernel.shape as [number, number];
    const previous = dense.at(-1);
    if (kernel.rank !== 2 || (previous && previous.units !== inputs)) return undefined;
    dense.push({
      inputs,
      units,
      activation,
      kernel: kernel.dataSync() as Float32Array,
      bias: bias.dataSync() as Float32Array,
    });
  }
  return dense.length === 0 ? undefined : dense;
}

/** A plain Network's layers, views on its flat weights; undefined when an activation has no kernel. */
function denseOfNetwork(network: Network): DenseLayer[] | undefined {
  const dense: DenseLayer[] = [];
  let offset = 0;
  network.shapes.forEach(([inputs, units], i) => {
    const kernel = network.weights.subarray(offset, offset + inputs * units);
    offset += inputs * units;
    const bias = network.weights.subarray(offset, offset + units);
    offset += units;
    const activation = i === network.shapes.length - 1 ? network.output : network.activation;
    dense.push({ inputs, units, activation, kernel, bias });
  });
  return dense.every((l) => APPLY[l.activation]) ? dense : undefined;
}

function buildPlan(dense: DenseLayer[], weights: object[], chunk: number): Plan | undefined {
  let floats = 4;
  const alloc = (count: number) => {
    const at = floats;
    floats += Math.ceil(count / 4) * 4;
    return at;
  };
  const layers = dense.map((l) => ({
    inputs: l.inputs,
    units: l.units,
    apply: APPLY[l.activation]!,
    mode: l.activation === "relu" ? RELU : 0,
    w: alloc(l.inputs * l.units),
    b: alloc(l.units),
    out: alloc(chunk * l.units),
  }));
  const input = alloc(chunk * dense[0]!.inputs);
  const kernel = instantiateKernels(floats * 4);
  if (!kernel) return undefined;
  const mem = new Float32Array(kernel.memory.buffer);
  dense.forEach((l, i) => {
    mem.set(l.kernel, layers[i]!.w);
    mem.set(l.bias, layers[i]!.b);
  });
  return { weights, layers, chunk, input, kernel, mem };
}

/**
 * The source's plan, placed again when a call needs more rows of room or (a tfjs model) its weights
 * changed; a Network's weights are its own values, so its plan stands until then.
 */
function planFor(source: tf.LayersModel | Network, rows: number): Plan | undefined {
  const isNetwork = "shapes" in source;
  const weights = isNetwork ? [source.weights] : weightIds(source);
  const cached = plans.get(source);
  const chunk = Math.max(1, Math.min(rows, CHUNK_ROWS));
  if (cached && cached.chunk >= chunk && sameIds(cached.weights, weights)) return cached;
  const dense = isNetwork ? denseOfNetwork(source) : denseOfModel(source);
  // Room for the larger of the two, so a server alternating 1- and 200-row batches places once.
  const plan = dense && buildPlan(dense, weights, Math.max(chunk, cached?.chunk ?? 0));
  if (plan) plans.set(source, plan);
  return plan;
}

/** rows x outputs, as model.predict gives them; undefined when the model is not a plain Dense stack. */
export function kernelPredict(
  model: tf.LayersModel | Network,
  x: Float32Array,
  rows: number,
): Float32Array | undefined {
  return kernelPredictRows(model, rows, (mem, at, start, m) => {
    const width = x.length / rows;
    mem.set(x.subarray(start * width, (start + m) * width), at);
  });
}

/** As kernelPredict, with the input written straight into the kernel's memory a chunk at a time. */
export function kernelPredictRows(
  model: tf.LayersModel | Network,
  rows: number,
  fill: FillRows,
): Float32Array | undefined {
  const plan = planFor(model, rows);
  if (!plan) return undefined;
  const { layers, kernel, mem, input } = plan;
  const last = layers.at(-1)!;
  const result = new Float32Array(rows * last.units);
  for (let start = 0; start < rows; start += plan.chunk) {
    const m = Math.min(plan.chunk, rows - start);
    fill(mem, input, start, m);
    let from = input;
    for (const l of layers) {
      kernel.gemm(4 * from, 4 * l.w, 4 * l.out, 4 * l.b, 0, m, l.units, l.inputs, l.inputs, 1, l.mode);
      l.apply(mem, l.out, m, l.units);
      from = l.out;
    }
    result.set(mem.subarray(last.out, last.out + m * last.units), start * last.units);
  }
  return result;
}
