import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../config/schema.js";
import { deriveSeed } from "./random.js";

export type Activation = ModelConfig["activation"];

/** The parts of a ModelConfig that shape the network. */
export type NetworkConfig = Pick<ModelConfig, "hidden" | "activation" | "seed">;

/** [inputs, outputs] of each dense layer, input to output. */
export type LayerShapes = Array<[number, number]>;

export function layerShapes(hidden: number[], inputDim: number, outputUnits: number): LayerShapes {
  const sizes = [inputDim, ...hidden, outputUnits];
  return sizes.slice(1).map((units, i) => [sizes[i]!, units]);
}

/**
 * The MLP as a standard tfjs LayersModel, so any tfjs loader reads the saved model.json. Dropout is
 * applied only while training (see trainer.ts) and is an identity at inference, so it is not a layer here.
 */
export function buildNetwork(
  config: NetworkConfig,
  inputDim: number,
  outputUnits: number,
  output: "softmax" | "linear",
): tf.Sequential {
  const shapes = layerShapes(config.hidden, inputDim, outputUnits);
  const model = tf.sequential();
  shapes.forEach(([inputs, units], i) => {
    const last = i === shapes.length - 1;
    model.add(
      tf.layers.dense({
        units,
        activation: last ? output : config.activation,
        // A seed per layer: with one shared seed every layer of the same shape would start identical.
        kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(config.seed, i) }),
        biasInitializer: "zeros",
        ...(i === 0 ? { inputShape: [inputs] } : {}),
      }),
    );
  });
  return model;
}

/**
 * A trained MLP as plain values: what training returns, what the kernels run, and what a serializer
 * writes (tfjs's layers JSON is one: `toTfjs`). Weights are [kernel, bias, kernel, bias, ...], each
 * kernel row-major [inputs, units], the order tfjs's getWeights gives.
 */
export interface Network {
  shapes: LayerShapes;
  /** Of the hidden layers. */
  activation: Activation;
  output: "softmax" | "linear";
  weights: Float32Array;
}

/** The network as a tfjs LayersModel (to save in tfjs's standard layout, or for tfjs's own predict). */
export function toTfjs(network: Network): tf.Sequential {
  const { shapes } = network;
  const hidden = shapes.slice(0, -1).map(([, units]) => units);
  const model = buildNetwork(
    { hidden, activation: network.activation, seed: 0 },
    shapes[0]![0],
    shapes.at(-1)![1],
    network.output,
  );
  assignWeights(model, shapes, network.weights);
  return model;
}

/** A tfjs model's Network when it is a plain stack of Dense layers (a modelgate-mlp); else undefined. */
export function fromTfjs(model: tf.LayersModel): Network | undefined {
  const shapes: LayerShapes = [];
  const activations: string[] = [];
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    const kernel = weights[0];
    if (layer.getClassName() !== "Dense" || weights.length !== 2 || kernel?.rank !== 2) return undefined;
    const [inputs, units] = kernel.shape as [number, number];
    if (shapes.length > 0 && shapes.at(-1)![1] !== inputs) return undefined;
    shapes.push([inputs, units]);
    activations.push(String(layer.getConfig().activation ?? "linear"));
  }
  const output = activations.pop();
  const activation = activations[0] ?? "linear";
  if (shapes.length === 0 || (output !== "softmax" && output !== "linear")) return undefined;
  if (!(activation in ACTIVATIONS) || activations.some((a) => a !== activation)) return undefined;
  return { shapes, activation: activation as Activation, output, weights: flattenWeights(model) };
}

/** The network's weights, flattened layer by layer as [kernel, bias, kernel, bias, ...]. */
export function flattenWeights(model: tf.LayersModel): Float32Array {
  const arrays = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const out = new Float32Array(arrays.reduce((sum, a) => sum + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

export function assignWeights(model: tf.LayersModel, shapes: LayerShapes, flat: Float32Array): void {
  const tensors: tf.Tensor[] = [];
  let offset = 0;
  for (const [inputs, units] of shapes) {
    tensors.push(tf.tensor2d(flat.subarray(offset, offset + inputs * units), [inputs, units]));
    offset += inputs * units;
    tensors.push(tf.tensor1d(flat.subarray(offset, offset + units)));
    offset += units;
  }
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/**
 * Hidden-layer activations as tfjs-layers computes them (so training and model.predict agree), with
 * the derivative expressed through the output where that is cheap, else through tf.grad.
 */
export interface ActivationOps {
  /** Activation tf.fused.matMul applies itself, saving a kernel per layer. */
  fused?: "relu" | "linear";
  apply(z: tf.Tensor): tf.Tensor;
  /** dL/dz from dL/da, the activation a and (when needed) the pre-activation z. */
  backward(da: tf.Tensor, a: tf.Tensor, z: tf.Tensor | undefined): tf.Tensor;
  needsZ: boolean;
}

function viaGrad(apply: (z: tf.Tensor) => tf.Tensor): ActivationOps {
  const gradient = tf.grad((z: tf.Tensor) => apply(z));
  return { apply, needsZ: true, backward: (da, _a, z) => gradient(z!, da) };
}

const identity = (z: tf.Tensor) => z;

export const ACTIVATIONS: Record<Activation, ActivationOps> = {
  relu: { fused: "relu", apply: tf.relu, needsZ: false, backward: (da, a) => tf.mul(da, tf.step(a)) },
  linear: { fused: "linear", apply: identity, needsZ: false, backward: (da) => da },
  tanh: { apply: tf.tanh, needsZ: false, backward: (da, a) => tf.mul(da, tf.sub(1, tf.square(a))) },
  sigmoid: { apply: tf.sigmoid, needsZ: false, backward: (da, a) => tf.mul(da, tf.mul(a, tf.sub(1, a))) },
  elu: viaGrad((z) => tf.elu(z)),
  selu: viaGrad((z) => tf.selu(z)),
  gelu: viaGrad((z) => tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.div(z, Math.SQRT2)))))),
  swish: viaGrad((z) => tf.mul(tf.sigmoid(z), z)),
};
