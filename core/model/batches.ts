/** Where a batch's rows go: features into `x` from float `xAt` on, targets into `y` from 0. */
export interface BatchBuffers {
  x: Float32Array;
  xAt: number;
  y: Float32Array;
}

/**
 * One epoch's batches, for both trainers: walks `order` (row indices into x and y) `size` rows at a
 * time, copies each batch's rows into `into`, then calls `step` with the batch's row count.
 */
export function eachBatch(
  data: { x: Float32Array; y: Float32Array; inputs: number; outputs: number },
  order: Uint32Array,
  size: number,
  into: BatchBuffers,
  step: (rows: number) => void,
): void {
  const { x, y, inputs, outputs } = data;
  const { x: xOut, xAt, y: yOut } = into;
  for (let start = 0; start < order.length; start += size) {
    const rows = Math.min(size, order.length - start);
    for (let k = 0; k < rows; k++) {
      const r = order[start + k]!;
      for (let j = 0; j < inputs; j++) xOut[xAt + k * inputs + j] = x[r * inputs + j]!;
      for (let c = 0; c < outputs; c++) yOut[k * outputs + c] = y[r * outputs + c]!;
    }
    step(rows);
  }
}
