import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../config/schema.js";
import { ACTIVATIONS, type Activation, type LayerShapes } from "./network.js";
import { createOptimizer } from "./optimizers.js";
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

export function createTrainer(options: TrainerOptions): Trainer {
  const { shapes, dropout } = options;
  const inputDim = shapes[0]![0];
  const outputs = shapes[shapes.length - 1]![1];
  const activation = ACTIVATIONS[options.activation];
  const optimizer = createOptimizer(options.optimizer, options.learningRate, options.initial.length);
  const threshold = dropThreshold(dropout);
  let dropCalls = 0;
  let params = tf.keep(tf.tensor1d(options.initial));
  let lossSum = tf.keep(tf.scalar(0));
  let lossRows = 0;
  // L2 applies to kernels only (Keras's kernelRegularizer), so the gradient term is masked off biases.
  const l2Mask = options.l2 > 0 ? tf.keep(tf.tensor1d(kernelMask(shapes, 2 * options.l2))) : undefined;

  /** [kernel, bias, kernel, bias, ...]; biases stay 1-D, which fused matMul broadcasts. */
  function unpack(flat: tf.Tensor1D): tf.Tensor[] {
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

  /** Forward pass; keeps what the backward pass needs. */
  function forward(x: tf.Tensor2D, weights: tf.Tensor[], masks: tf.Tensor2D[] | undefined) {
    const inputs: tf.Tensor2D[] = [x];
    const activations: tf.Tensor2D[] = [];
    const pre: Array<tf.Tensor2D | undefined> = [];
    let h: tf.Tensor2D = x;
    for (let l = 0; l < shapes.length - 1; l++) {
      const [kernel, bias] = [weights[2 * l] as tf.Tensor2D, weights[2 * l + 1]!];
      let a: tf.Tensor2D;
      if (activation.fused && !activation.needsZ) {
        a = tf.fused.matMul({ a: h, b: kernel, bias, activation: activation.fused }) as tf.Tensor2D;
        pre.push(undefined);
      } else {
        const z = tf.fused.matMul({ a: h, b: kernel, bias }) as tf.Tensor2D;
        a = activation.apply(z) as tf.Tensor2D;
        pre.push(z);
      }
      activations.push(a);
      h = masks ? tf.mul<tf.Tensor2D>(a, masks[l]!) : a;
      inputs.push(h);
    }
    const last = shapes.length - 1;
    const out = tf.fused.matMul({
      a: h,
      b: weights[2 * last] as tf.Tensor2D,
      bias: weights[2 * last + 1]!,
    }) as tf.Tensor2D;
    return { inputs, activations, pre, out };
  }

  /** Summed loss over the batch, and dLoss/dOutput for the batch mean. */
  function lossAndGradient(
    out: tf.Tensor2D,
    y: tf.Tensor2D,
    rows: number,
  ): { total: tf.Scalar; gradient: tf.Tensor2D } {
    if (options.loss === "crossentropy") {
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

  function step(xBatch: Float32Array, yBatch: Float32Array, rows: number): void {
    const masks = dropout > 0 ? shapes.slice(0, -1).map(([, units]) => dropoutMask(rows, units)) : undefined;
    const [nextParams, nextLoss] = tf.tidy(() => {
      const x = tf.tensor2d(xBatch, [rows, inputDim]);
      const y = tf.tensor2d(yBatch, [rows, outputs]);
      const weights = unpack(params);
      const maskTensors = masks?.map((m, l) => tf.tensor2d(m, [rows, shapes[l]![1]]));
      const { inputs, activations, pre, out } = forward(x, weights, maskTensors);
      const { total, gradient } = lossAndGradient(out, y, rows);
      const grads: tf.Tensor[] = new Array(weights.length);
      let dz: tf.Tensor2D = gradient;
      for (let l = shapes.length - 1; l >= 0; l--) {
        grads[2 * l] = tf.reshape(tf.matMul(tf.transpose(inputs[l]!), dz), [-1]);
        grads[2 * l + 1] = tf.sum(dz, 0);
        if (l === 0) break;
        let da: tf.Tensor2D = tf.matMul(dz, tf.transpose(weights[2 * l] as tf.Tensor2D));
        if (maskTensors) da = tf.mul<tf.Tensor2D>(da, maskTensors[l - 1]!);
        dz = activation.backward(da, activations[l - 1]!, pre[l - 1]) as tf.Tensor2D;
      }
      let grad = tf.concat(grads) as tf.Tensor1D;
      if (l2Mask) grad = tf.add(grad, tf.mul(params, l2Mask));
      return [optimizer.update(params, grad), tf.add(lossSum, total)];
    });
    params.dispose();
    lossSum.dispose();
    params = nextParams as tf.Tensor1D;
    lossSum = nextLoss as tf.Scalar;
    lossRows += rows;
  }

  function dropoutMask(rows: number, units: number): Float32Array {
    const mask = new Float32Array(rows * units);
    const keep = 1 / (1 - dropout);
    const base = dropoutBase(options.seed, dropCalls++);
    for (let i = 0; i < mask.length; i++) mask[i] = dropped(base, i, threshold) ? 0 : keep;
    return mask;
  }

  return {
    trainEpoch(x, y, order, batchSize) {
      const xBatch = new Float32Array(batchSize * inputDim);
      const yBatch = new Float32Array(batchSize * outputs);
      for (let start = 0; start < order.length; start += batchSize) {
        const rows = Math.min(batchSize, order.length - start);
        for (let k = 0; k < rows; k++) {
          const r = order[start + k]!;
          for (let j = 0; j < inputDim; j++) xBatch[k * inputDim + j] = x[r * inputDim + j]!;
          for (let j = 0; j < outputs; j++) yBatch[k * outputs + j] = y[r * outputs + j]!;
        }
        const full = rows === batchSize;
        step(
          full ? xBatch : xBatch.slice(0, rows * inputDim),
          full ? yBatch : yBatch.slice(0, rows * outputs),
          rows,
        );
      }
    },
    epochLoss() {
      const mean = lossRows > 0 ? (lossSum.dataSync()[0] ?? Number.NaN) / lossRows : Number.NaN;
      lossSum.dispose();
      lossSum = tf.keep(tf.scalar(0));
      lossRows = 0;
      return mean;
    },
    evaluate(x, y, rows) {
      let total = 0;
      for (let start = 0; start < rows; start += EVAL_BATCH) {
        const m = Math.min(EVAL_BATCH, rows - start);
        const batchLoss = tf.tidy(() => {
          const xt = tf.tensor2d(x.subarray(start * inputDim, (start + m) * inputDim), [m, inputDim]);
          const yt = tf.tensor2d(y.subarray(start * outputs, (start + m) * outputs), [m, outputs]);
          return lossAndGradient(forward(xt, unpack(params), undefined).out, yt, m).total;
        });
        total += batchLoss.dataSync()[0] ?? Number.NaN;
        batchLoss.dispose();
      }
      return total / rows;
    },
    weights: () => params.dataSync().slice() as Float32Array,
    setWeights(flat) {
      params.dispose();
      params = tf.keep(tf.tensor1d(flat));
    },
    dispose() {
      tf.dispose([params, lossSum, ...(l2Mask ? [l2Mask] : [])]);
      optimizer.dispose();
    },
  };
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
