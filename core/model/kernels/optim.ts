import type { ModelConfig } from "../../config/schema.js";

/**
 * The optimisers of optimizers.ts over plain arrays, for the kernel trainer: same update rules and
 * tfjs's default hyperparameters, one loop over the flat parameter vector per step. Adam, the
 * default and the one benchmarked, runs as a SIMD kernel instead (kernels/adam.ts).
 */
export type ArrayUpdate = (params: Float32Array, grad: Float32Array) => void;

const EPSILON = 1e-7;

export function arrayOptimizer(
  name: Exclude<ModelConfig["optimizer"], "adam">,
  rate: number,
  size: number,
): ArrayUpdate {
  switch (name) {
    case "sgd":
      return (params, grad) => {
        for (let i = 0; i < size; i++) params[i]! -= rate * grad[i]!;
      };
    case "rmsprop": {
      const decay = 0.9;
      const meanSquare = new Float32Array(size);
      return (params, grad) => {
        for (let i = 0; i < size; i++) {
          const g = grad[i]!;
          meanSquare[i] = decay * meanSquare[i]! + (1 - decay) * g * g;
          params[i]! -= (rate * g) / Math.sqrt(meanSquare[i]! + EPSILON);
        }
      };
    }
    case "adagrad": {
      // tfjs's default initial accumulator value.
      const accumulator = new Float32Array(size).fill(0.1);
      return (params, grad) => {
        for (let i = 0; i < size; i++) {
          const g = grad[i]!;
          accumulator[i]! += g * g;
          params[i]! -= (rate * g) / Math.sqrt(accumulator[i]! + EPSILON);
        }
      };
    }
  }
}
