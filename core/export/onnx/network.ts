import type * as tf from "@tensorflow/tfjs";
import { UserError } from "../../errors.js";
import type { Activation } from "../../model/network.js";
import type { GraphBuilder } from "./builder.js";
import { DataType } from "./proto.js";

/** One Dense layer's weights: kernel is inputs x units, row-major, as tfjs keeps it. */
export interface DenseLayer {
  inputs: number;
  units: number;
  activation: string;
  kernel: Float32Array;
  bias: Float32Array;
}

/** The model's layers, input to output; a UserError when it is not the plain Dense stack modelgate trains. */
export function denseLayers(model: tf.LayersModel, file: string): DenseLayer[] {
  const layers: DenseLayer[] = [];
  for (const layer of model.layers) {
    const tensors = layer.getWeights();
    const config = layer.getConfig();
    const activation = String(config.activation ?? "linear");
    if (layer.getClassName() !== "Dense" || tensors.length !== 2 || tensors[0]!.rank !== 2) {
      throw new UserError(
        `layer "${layer.name}" is a ${layer.getClassName()}; only modelgate's stack of Dense layers with a bias exports`,
        { file },
      );
    }
    if (!Object.hasOwn(ACTIVATIONS, activation)) {
      throw new UserError(
        `layer "${layer.name}" uses activation "${activation}"; the export knows ${Object.keys(ACTIVATIONS).join(", ")}`,
        { file },
      );
    }
    const [inputs, units] = tensors[0]!.shape as [number, number];
    layers.push({
      inputs,
      units,
      activation,
      kernel: tensors[0]!.dataSync() as Float32Array,
      bias: tensors[1]!.dataSync() as Float32Array,
    });
  }
  return layers;
}

type Emit = (b: GraphBuilder, x: string) => string;

const scalar = (b: GraphBuilder, hint: string, value: number) =>
  b.constant(hint, { type: DataType.float, values: Float32Array.of(value) }, []);

// tfjs-core's selu_util constants; ONNX's Selu takes alpha and gamma (its scale).
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.7580993408473768 / SELU_SCALE;

/**
 * Every activation modelgate trains with (model.activation) plus the output layers' softmax, each as
 * tfjs-layers computes it. Opset 17 has no Gelu or Swish operator, so those are spelled out.
 */
export const ACTIVATIONS: Record<Activation | "softmax", Emit> = {
  linear: (_b, x) => x,
  relu: (b, x) => b.op("Relu", [x]),
  tanh: (b, x) => b.op("Tanh", [x]),
  sigmoid: (b, x) => b.op("Sigmoid", [x]),
  elu: (b, x) => b.op("Elu", [x], { attributes: [{ name: "alpha", f: 1 }] }),
  selu: (b, x) =>
    b.op("Selu", [x], {
      attributes: [
        { name: "alpha", f: SELU_ALPHA },
        { name: "gamma", f: SELU_SCALE },
      ],
    }),
  // x * 0.5 * (1 + erf(x / sqrt(2))), tfjs-layers' Gelu.
  gelu: (b, x) => {
    const erf = b.op("Erf", [b.op("Div", [x, scalar(b, "sqrt2", Math.SQRT2)])]);
    const cdf = b.op("Mul", [scalar(b, "half", 0.5), b.op("Add", [scalar(b, "one", 1), erf])]);
    return b.op("Mul", [x, cdf], { hint: "gelu" });
  },
  swish: (b, x) => b.op("Mul", [b.op("Sigmoid", [x]), x], { hint: "swish" }),
  softmax: (b, x) => b.op("Softmax", [x], { attributes: [{ name: "axis", i: -1 }] }),
};

/** One Gemm and one activation per layer; returns the last layer's output (float [N, units]). */
export function emitNetwork(b: GraphBuilder, input: string, layers: DenseLayer[]): string {
  let x = input;
  layers.forEach((layer, i) => {
    const kernel = b.constant(`dense${i}_kernel`, { type: DataType.float, values: layer.kernel }, [
      layer.inputs,
      layer.units,
    ]);
    const bias = b.constant(`dense${i}_bias`, { type: DataType.float, values: layer.bias }, [layer.units]);
    const z = b.op("Gemm", [x, kernel, bias], { hint: `dense${i}` });
    x = ACTIVATIONS[layer.activation as keyof typeof ACTIVATIONS](b, z);
  });
  return x;
}
