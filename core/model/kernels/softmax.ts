/**
 * Row-wise softmax in place, shared by training's loss and by prediction: one function, so the
 * JIT has optimised it by the time a freshly trained model predicts (a cold copy cost ~3 ms there).
 */
export function softmaxRows(
  v: Float32Array,
  at: number,
  rows: number,
  units: number,
  exps: Float64Array,
): void {
  for (let row = at; row < at + rows * units; row += units) {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < units; i++) max = Math.max(max, v[row + i]!);
    let sum = 0;
    for (let i = 0; i < units; i++) {
      exps[i] = Math.exp(v[row + i]! - max);
      sum += exps[i]!;
    }
    for (let i = 0; i < units; i++) v[row + i] = exps[i]! / sum;
  }
}
