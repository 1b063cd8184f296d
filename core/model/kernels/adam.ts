import { Body, I32, OP, SIMD, V128 } from "./wasm.js";

/**
 * Adam over the flat parameter vector, four lanes at a time (the JS loop was ~10% of a step).
 * Hyperparameters come from memory at `constants`: beta1, 1 - beta1, beta2, 1 - beta2, step size,
 * epsilon. Vectors are padded to 4 floats with zero gradients, which leave their zero tail unchanged.
 */
export type Adam = (
  params: number,
  grads: number,
  m: number,
  v: number,
  constants: number,
  count: number,
) => void;

export const ADAM_CONSTANTS = 6;

export function adamBody(): Body {
  const [PARAMS, GRADS, M, V, CONSTANTS, COUNT] = [0, 1, 2, 3, 4, 5] as const;
  const f = new Body(["params", "grads", "m", "v", "constants", "count"]);
  const [offset, end] = [f.local(I32, "offset"), f.local(I32, "end")];
  const names = ["beta1", "rest1", "beta2", "rest2", "step", "epsilon"];
  const c = names.map((name) => f.local(V128, name));
  const [beta1, rest1, beta2, rest2, step, epsilon] = c as [number, number, number, number, number, number];
  const [g, m, v] = [f.local(V128, "g4"), f.local(V128, "m4"), f.local(V128, "v4")];
  c.forEach((local, i) => {
    f.get(CONSTANTS)
      .simd(SIMD.load32Splat, 4 * i)
      .set(local);
  });
  f.get(COUNT).i32(3).op(OP.i32Add).i32(-4).op(OP.i32And).i32(2).op(OP.i32Shl).set(end);
  f.i32(0).set(offset);
  f.op(OP.block, OP.void, OP.loop, OP.void);
  f.get(offset).get(end).op(OP.i32GeS, OP.brIf, 1);
  f.get(GRADS).get(offset).op(OP.i32Add).simd(SIMD.load, 0).set(g);
  // m = beta1 m + (1 - beta1) g
  f.get(M).get(offset).op(OP.i32Add);
  f.get(M).get(offset).op(OP.i32Add).simd(SIMD.load, 0).get(beta1).simd(SIMD.mul);
  f.get(g).get(rest1).simd(SIMD.mul).simd(SIMD.add).set(m).get(m).simd(SIMD.store, 0);
  // v = beta2 v + (1 - beta2) g²
  f.get(V).get(offset).op(OP.i32Add);
  f.get(V).get(offset).op(OP.i32Add).simd(SIMD.load, 0).get(beta2).simd(SIMD.mul);
  f.get(g).get(g).simd(SIMD.mul).get(rest2).simd(SIMD.mul).simd(SIMD.add).set(v).get(v).simd(SIMD.store, 0);
  // params -= step m / (sqrt(v) + epsilon)
  f.get(PARAMS).get(offset).op(OP.i32Add);
  f.get(PARAMS).get(offset).op(OP.i32Add).simd(SIMD.load, 0);
  f.get(step).get(m).simd(SIMD.mul).get(v).simd(SIMD.sqrt).get(epsilon).simd(SIMD.add).simd(SIMD.div);
  f.simd(SIMD.sub).simd(SIMD.store, 0);
  f.addTo(offset, 16);
  f.op(OP.br, 0, OP.end, OP.end);
  return f;
}
