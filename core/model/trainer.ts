import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../config/schema.js";
import { eachBatch } from "./batches.js";
import { ACTIVATIONS, type Activation, type ActivationOps, type LayerShapes } from "./network.js";
import { createOptimizer, type FlatOptimizer } from "./optimizers.js";
import { dropoutBase, dropped, dropThreshold } from "./random.js";

/**
 * A hand-written training step for the MLP: forward, backward and the optimiser update in one tf.tidy
 * over a flat parameter vector. model.fit on wasm spent its time in per-kernel dispatch, in tfjs's
 * transposed matMuls (gradients of matMul run a slow non-XNNPACK path; an explicit transpose then a
 * plain matMul is ~5x faster) and in its async per-batch callbacks; this loop syncs once per epoch.
 */
export interface TrainerOptions {
  shapes: LayerShapes;
  activation: Activation;
  dropout: number;
  l2: number;
  optimizer: ModelConfig["optimizer"];
  learningRate: number;
  /** classification: targets are one-hot rows, softmax cross-entropy; regression: one column, MSE. */
  loss: "crossentropy" | "mse";
  seed: number;
  initial: Float32Array;
}

export interface Trainer {
  /** One pass over `order` (row indices into x/y) in batches; the loss stays on the device. */
  trainEpoch(x: Float32Array, y: Float32Array, order: Uint32Array, batchSize: number): void;
  /** Mean training loss of the last epoch (the one sync per epoch). */
  epochLoss(): number;
  /** Mean loss over rows without dropout. */
  evaluate(x: Float32Array, y: Float32Array, rows: number): number;
  weights(): Float32Array;
  setWeights(flat: Float32Array): void;
  dispose(): void;
}

const EVAL_BATCH = 8192;

/** The tfjs trainer's state between steps: parameters and the epoch's loss stay tensors on the device. */
interface TfjsRun {
  options: TrainerOptions;
  inputDim: number;
  outputs: number;
  activation: ActivationOps;
  optimizer: FlatOptimizer;
  /** Dropout's hash threshold and the masks drawn so far (the mask seed). */
  drop: { threshold: number; calls: number };
  params: tf.Tensor1D;
  lossSum: tf.Scalar;
  lossRows: number;
  /** 2·l2 on kernel weights, 0 on biases; undefined without L2. */
  l2Mask: tf.Tensor1D | undefined;
}

export function createTrainer(options: TrainerOptions): Trainer {
  const { shapes } = options;
  const optimizer = createOptimizer(options.optimizer, options.learningRate, options.initial.length);
  const run: TfjsRun = {
    options,
    inputDim: shapes[0]![0],
    outputs: shapes[shapes.length - 1]![1],
    activation: ACTIVATIONS[options.activation],
    optimizer,
    drop: { threshold: dropThreshold(options.dropout), calls: 0 },
    params: tf.keep(tf.tensor1d(options.initial)),
    lossSum: tf.keep(tf.scalar(0)),
    lossRows: 0,
    // L2 applies to kernels only (Keras's kernelRegularizer), so the gradient term is masked off biases.
    l2Mask: options.l2 > 0 ? tf.keep(tf.tensor1d(kernelMask(shapes, 2 * options.l2))) : undefined,
  };
  return tfjsTrainer(run);
}

function tfjsTrainer(run: TfjsRun): Trainer {
  const { inputDim, outputs } = run;
  return {
    trainEpoch(x, y, order, batchSize) {
      const xBatch = new Float32Array(batchSize * inputDim);
      const yBatch = new Float32Array(batchSize * outputs);
      eachBatch(
        { x, y, inputs: inputDim, outputs },
        order,
        batchSize,
        { x: xBatch, xAt: 0, y: yBatch },
        (rows) => {
          const full = rows === batchSize;
          step(
            run,
            full ? xBatch : xBatch.slice(0, rows * inputDim),
            full ? yBatch : yBatch.slice(0, rows * outputs),
            rows,
          );
        },
      );
    },
    epochLoss() {
      const mean = run.lossRows > 0 ? (run.lossSum.dataSync()[0] ?? Number.NaN) / run.lossRows : Number.NaN;
      run.lossSum.dispose();
      run.lossSum = tf.keep(tf.scalar(0));
      run.lossRows = 0;
      return mean;
    },
    evaluate: (x, y, rows) => evaluate(run, x, y, rows),
    weights: () => run.params.dataSync().slice() as Float32Array,
    setWeights(flat) {
      run.params.dispose();
      run.params = tf.keep(tf.tensor1d(flat));
    },
    dispose() {
      tf.dispose([run.params, run.lossSum, ...(run.l2Mask ? [run.l2Mask] : [])]);
      run.optimizer.dispose();
    },
  };
}

/** Mean loss over rows, EVAL_BATCH at a time, without dropout. */
function evaluate(run: TfjsRun, x: Float32Array, y: Float32Array, rows: number): number {
  const { inputDim, outputs } = run;
  let total = 0;
  for (let start = 0; start < rows; start += EVAL_BATCH) {
    const m = Math.min(EVAL_BATCH, rows - start);
    const batchLoss = tf.tidy(() => {
      const xt = tf.tensor2d(x.subarray(start * inputDim, (start + m) * inputDim), [m, inputDim]);
      const yt = tf.tensor2d(y.subarray(start * outputs, (start + m) * outputs), [m, outputs]);
      const { out } = forward(run, xt, unpack(run.params, run.options.shapes), undefined);
      return lossAndGradient(out, yt, m, run.options.loss).total;
    });
    total += batchLoss.dataSync()[0] ?? Number.NaN;
    batchLoss.dispose();
  }
  return total / rows;
}

/** One batch: forward, loss, backward and the optimiser's update in one tf.tidy. */
function step(run: TfjsRun, xBatch: Float32Array, yBatch: Float32Array, rows: number): void {
  const { shapes, dropout } = run.options;
  const masks =
    dropout > 0 ? shapes.slice(0, -1).map(([, units]) => dropoutMask(run, rows, units)) : undefined;
  const [nextParams, nextLoss] = tf.tidy(() => {
    const x = tf.tensor2d(xBatch, [rows, run.inputDim]);
    const y = tf.tensor2d(yBatch, [rows, run.outputs]);
    const weights = unpack(run.params, shapes);
    const maskTensors = masks?.map((m, l) => tf.tensor2d(m, [rows, shapes[l]![1]]));
    const passed = forward(run, x, weights, maskTensors);
    const { total, gradient } = lossAndGradient(passed.out, y, rows, run.options.loss);
    let grad = gradients(run, weights, passed, maskTensors, gradient);
    if (run.l2Mask) grad = tf.add(grad, tf.mul(run.params, run.l2Mask));
    return [run.optimizer.update(run.params, grad), tf.add(run.lossSum, total)];
  });
  run.params.dispose();
  run.lossSum.dispose();
  run.params = nextParams as tf.Tensor1D;
  run.lossSum = nextLoss as tf.Scalar;
  run.lossRows += rows;
}

/** [kernel, bias, kernel, bias, ...]; biases stay 1-D, which fused matMul broadcasts. */
function unpack(flat: tf.Tensor1D, shapes: LayerShapes): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  let offset = 0;
  for (const [inputs, units] of shapes) {
    out.push(tf.reshape(tf.slice(flat, offset, inputs * units), [inputs, units]));
    offset += inputs * units;
    out.push(tf.slice(flat, offset, units));
    offset += units;
  }
  return out;
}

/** What the forward pass keeps for the backward pass: each layer's input, activation and pre-activation. */
interface Passed {
  inputs: tf.Tensor2D[];
  activations: tf.Tensor2D[];
  pre: Array<tf.Tensor2D | undefined>;
  out: tf.Tensor2D;
}

function forward(
  run: TfjsRun,
  x: tf.Tensor2D,
  weights: tf.Tensor[],
  masks: tf.Tensor2D[] | undefined,
): Passed {
  const { activation } = run;
  const layers = run.options.shapes.length;
  const passed: Passed = { inputs: [x], activations: [], pre: [], out: x };
  let h: tf.Tensor2D = x;
  for (let l = 0; l < layers - 1; l++) {
    const [kernel, bias] = [weights[2 * l] as tf.Tensor2D, weights[2 * l + 1]!];
    let a: tf.Tensor2D;
    if (activation.fused && !activation.needsZ) {
      a = tf.fused.matMul({ a: h, b: kernel, bias, activation: activation.fused }) as tf.Tensor2D;
      passed.pre.push(undefined);
    } else {
      const z = tf.fused.matMul({ a: h, b: kernel, bias }) as tf.Tensor2D;
      a = activation.apply(z) as tf.Tensor2D;
      passed.pre.push(z);
    }
    passed.activations.push(a);
    h = masks ? tf.mul<tf.Tensor2D>(a, masks[l]!) : a;
    passed.inputs.push(h);
  }
  const last = layers - 1;
  const [kernel, bias] = [weights[2 * last] as tf.Tensor2D, weights[2 * last + 1]!];
  passed.out = tf.fused.matMul({ a: h, b: kernel, bias }) as tf.Tensor2D;
  return passed;
}

/** Summed loss over the batch, and dLoss/dOutput for the batch mean. */
function lossAndGradient(
  out: tf.Tensor2D,
  y: tf.Tensor2D,
  rows: number,
  loss: TrainerOptions["loss"],
): { total: tf.Scalar; gradient: tf.Tensor2D } {
  if (loss === "crossentropy") {
    // softmax then log of the true class's probability: fewer kernels than logSoftmax, and the
    // clip at 1e-7 is Keras's own epsilon.
    const probabilities = tf.softmax(out);
    const truth = tf.sum(tf.mul(y, probabilities), 1);
    const total = tf.neg<tf.Scalar>(tf.sum(tf.log(tf.add(truth, 1e-7))));
    return { total, gradient: tf.mul<tf.Tensor2D>(tf.sub(probabilities, y), 1 / rows) };
  }
  const diff = tf.sub(out, y);
  return { total: tf.sum<tf.Scalar>(tf.square(diff)), gradient: tf.mul<tf.Tensor2D>(diff, 2 / rows) };
}

/** The flat gradient [dKernel, dBias, ...] from dLoss/dOutput, back through every layer. */
function gradients(
  run: TfjsRun,
  weights: tf.Tensor[],
  passed: Passed,
  masks: tf.Tensor2D[] | undefined,
  gradient: tf.Tensor2D,
): tf.Tensor1D {
  const grads: tf.Tensor[] = new Array(weights.length);
  let dz = gradient;
  for (let l = run.options.shapes.length - 1; l >= 0; l--) {
    grads[2 * l] = tf.reshape(tf.matMul(tf.transpose(passed.inputs[l]!), dz), [-1]);
    grads[2 * l + 1] = tf.sum(dz, 0);
    if (l === 0) break;
    let da: tf.Tensor2D = tf.matMul(dz, tf.transpose(weights[2 * l] as tf.Tensor2D));
    if (masks) da = tf.mul<tf.Tensor2D>(da, masks[l - 1]!);
    dz = run.activation.backward(da, passed.activations[l - 1]!, passed.pre[l - 1]) as tf.Tensor2D;
  }
  return tf.concat(grads) as tf.Tensor1D;
}

/** 0 for a dropped unit, 1/(1-p) for a kept one; drawn as the kernel trainer draws them. */
function dropoutMask(run: TfjsRun, rows: number, units: number): Float32Array {
  const { dropout, seed } = run.options;
  const mask = new Float32Array(rows * units);
  const keep = 1 / (1 - dropout);
  const base = dropoutBase(seed, run.drop.calls++);
  for (let i = 0; i < mask.length; i++) mask[i] = dropped(base, i, run.drop.threshold) ? 0 : keep;
  return mask;
}

function kernelMask(shapes: LayerShapes, value: number): Float32Array {
  const size = shapes.reduce((sum, [inputs, units]) => sum + inputs * units + units, 0);
  const mask = new Float32Array(size);
  let offset = 0;
  for (const [inputs, units] of shapes) {
    mask.fill(value, offset, offset + inputs * units);
    offset += inputs * units + units;
  }
  return mask;
}
