import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../config/schema.js";

/**
 * Optimisers over ONE flat parameter vector. tfjs's own optimisers run ~14 small kernels per variable
 * per step; on wasm that dispatch cost, not arithmetic, dominated a training step. One vector turns
 * 6 variables x 14 kernels into ~12 kernels. Hyperparameters are tfjs's defaults.
 */
export interface FlatOptimizer {
  /** The new parameters; call inside tf.tidy. Keeps its own state across steps. */
  update(params: tf.Tensor1D, grad: tf.Tensor1D): tf.Tensor1D;
  dispose(): void;
}

const EPSILON = 1e-7;

export function createOptimizer(
  name: ModelConfig["optimizer"],
  learningRate: number,
  size: number,
): FlatOptimizer {
  switch (name) {
    case "adam":
      return adam(learningRate, size);
    case "sgd":
      return sgd(learningRate);
    case "rmsprop":
      return rmsprop(learningRate, size);
    case "adagrad":
      return adagrad(learningRate, size);
  }
}

/** Replaces a kept state tensor by its successor, outside tidy's reach. */
function swap(old: tf.Tensor1D, next: tf.Tensor1D): tf.Tensor1D {
  tf.keep(next);
  old.dispose();
  return next;
}

function adam(learningRate: number, size: number): FlatOptimizer {
  const [beta1, beta2] = [0.9, 0.999];
  const constants = tf.tidy(() => ({
    beta1: tf.keep(tf.scalar(beta1)),
    oneMinusBeta1: tf.keep(tf.scalar(1 - beta1)),
    beta2: tf.keep(tf.scalar(beta2)),
    oneMinusBeta2: tf.keep(tf.scalar(1 - beta2)),
    epsilon: tf.keep(tf.scalar(EPSILON)),
  }));
  let m = tf.keep(tf.zeros([size])) as tf.Tensor1D;
  let v = tf.keep(tf.zeros([size])) as tf.Tensor1D;
  let t = 0;
  return {
    update(params, grad) {
      t++;
      m = swap(m, tf.add(tf.mul(m, constants.beta1), tf.mul(grad, constants.oneMinusBeta1)));
      v = swap(v, tf.add(tf.mul(v, constants.beta2), tf.mul(tf.square(grad), constants.oneMinusBeta2)));
      // Kingma & Ba's "efficient" form: bias corrections folded into one scalar step size.
      const stepSize = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      const direction = tf.div(m, tf.add(tf.sqrt(v), constants.epsilon));
      return tf.sub(params, tf.mul(direction, tf.scalar(stepSize)));
    },
    dispose() {
      tf.dispose([m, v, ...Object.values(constants)]);
    },
  };
}

function sgd(learningRate: number): FlatOptimizer {
  const rate = tf.keep(tf.scalar(learningRate));
  return {
    update: (params, grad) => tf.sub(params, tf.mul(grad, rate)),
    dispose: () => rate.dispose(),
  };
}

function rmsprop(learningRate: number, size: number): FlatOptimizer {
  const decay = 0.9;
  const constants = tf.tidy(() => ({
    decay: tf.keep(tf.scalar(decay)),
    oneMinusDecay: tf.keep(tf.scalar(1 - decay)),
    rate: tf.keep(tf.scalar(learningRate)),
    epsilon: tf.keep(tf.scalar(EPSILON)),
  }));
  let meanSquare = tf.keep(tf.zeros([size])) as tf.Tensor1D;
  return {
    update(params, grad) {
      meanSquare = swap(
        meanSquare,
        tf.add(tf.mul(meanSquare, constants.decay), tf.mul(tf.square(grad), constants.oneMinusDecay)),
      );
      const scaled = tf.div(tf.mul(grad, constants.rate), tf.sqrt(tf.add(meanSquare, constants.epsilon)));
      return tf.sub(params, scaled);
    },
    dispose() {
      tf.dispose([meanSquare, ...Object.values(constants)]);
    },
  };
}

function adagrad(learningRate: number, size: number): FlatOptimizer {
  const constants = tf.tidy(() => ({
    rate: tf.keep(tf.scalar(learningRate)),
    epsilon: tf.keep(tf.scalar(EPSILON)),
  }));
  // tfjs's default initial accumulator value.
  let accumulator = tf.keep(tf.fill([size], 0.1)) as tf.Tensor1D;
  return {
    update(params, grad) {
      accumulator = swap(accumulator, tf.add(accumulator, tf.square(grad)));
      const scaled = tf.div(tf.mul(grad, constants.rate), tf.sqrt(tf.add(accumulator, constants.epsilon)));
      return tf.sub(params, scaled);
    },
    dispose() {
      tf.dispose([accumulator, ...Object.values(constants)]);
    },
  };
}
