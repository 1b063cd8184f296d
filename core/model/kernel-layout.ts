import { floatArena } from "./kernels/index.js";
import type { LayerShapes } from "./network.js";

/** Float offsets into the kernel trainer's one memory (a byte address is 4 times the offset). */
export interface KernelLayout {
  /** Floats the memory must hold. */
  floats: number;
  /** Rows a forward or backward pass may take at once. */
  capacity: number;
  params: number;
  grads: number;
  /** Per layer, relative to params (and grads): where its kernel and its bias start. */
  kernelAt: number[];
  biasAt: number[];
  /** The batch's input rows. */
  x: number;
  /** Per layer: its output (after dropout), the activation before dropout, dL/d(pre-activation), dropout mask. */
  out: number[];
  active: number[];
  delta: number[];
  /** -1 where the layer keeps no mask. */
  masks: number[];
  /** A layer's kernel transposed, for the backward pass. */
  transposed: number;
  /** A zero bias as wide as the widest layer, and a column of ones (onesᵀ·dZ sums the bias gradient). */
  zeros: number;
  ones: number;
  /** Adam's moment and velocity vectors and its constants; undefined for the other optimisers. */
  adam?: { moment: number; velocity: number; constants: number };
}

export interface LayoutOptions {
  shapes: LayerShapes;
  paramCount: number;
  capacity: number;
  dropout: number;
  /** ReLU's backward gates on the dropped output itself (see the backward pass): it keeps no masks. */
  relu: boolean;
  /** Floats of Adam's constants, when the optimiser is Adam. */
  adamConstants?: number;
}

/** Where everything lives in memory: allocated in a fixed order, so the same options give the same layout. */
export function planLayout(options: LayoutOptions): KernelLayout {
  const { shapes, paramCount, capacity, dropout, relu } = options;
  const layers = shapes.length;
  const arena = floatArena();
  const alloc = (count: number) => arena.alloc(count);
  const params = alloc(paramCount);
  const grads = alloc(paramCount);
  const { kernelAt, biasAt } = parameterOffsets(shapes);
  const x = alloc(capacity * shapes[0]![0]);
  const out = shapes.map(([, n]) => alloc(capacity * n));
  const dropping = (l: number) => dropout > 0 && l < layers - 1;
  const active = shapes.map(([, n], l) => (dropping(l) ? alloc(capacity * n) : out[l]!));
  const masks = shapes.map(([, n], l) => (dropping(l) && !relu ? alloc(capacity * n) : -1));
  const delta = shapes.map(([, n]) => alloc(capacity * n));
  const transposed = alloc(Math.max(...shapes.map(([k, n]) => k * n)));
  const zeros = alloc(Math.max(...shapes.map(([, n]) => n)));
  const ones = alloc(capacity);
  const adam =
    options.adamConstants === undefined
      ? undefined
      : { moment: alloc(paramCount), velocity: alloc(paramCount), constants: alloc(options.adamConstants) };
  const layout = { capacity, params, grads, kernelAt, biasAt, x, out, active, delta, masks };
  return { ...layout, transposed, zeros, ones, ...(adam ? { adam } : {}), floats: arena.floats };
}

/** [kernel, bias, kernel, bias, ...] in the flat parameter vector: where each layer's start. */
function parameterOffsets(shapes: LayerShapes): { kernelAt: number[]; biasAt: number[] } {
  const kernelAt: number[] = [];
  const biasAt: number[] = [];
  let offset = 0;
  for (const [inputs, units] of shapes) {
    kernelAt.push(offset);
    biasAt.push(offset + inputs * units);
    offset += inputs * units + units;
  }
  return { kernelAt, biasAt };
}
