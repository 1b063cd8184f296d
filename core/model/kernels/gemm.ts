import { Body, F32, I32, OP, SIMD, V128 } from "./wasm.js";

/**
 * One SIMD matrix product covering every product of an MLP's training step:
 *   C[i, j] = epilogue(bias[j] + sum_k A[i*aRow + k*aCol] * B[k*N + j])    (row-major B and C, M x N)
 * The strides let A be read transposed (Xᵀ·dZ) without copying. Epilogues: RELU (max(0, x)) and
 * GATE (x where G[i, j] > 0, else 0: ReLU's backward, with G the layer's output).
 * Tiles of 4 rows x 8 columns keep 8 accumulators, 2 B vectors and a splat in the 16 SIMD registers
 * of x64; 4-column and single-column tails handle any N, single rows any M.
 */
export const RELU = 1;
export const GATE = 2;

const ROWS = 4;

export type Gemm = (
  a: number,
  b: number,
  c: number,
  bias: number,
  gate: number,
  m: number,
  n: number,
  k: number,
  aRow: number,
  aCol: number,
  mode: number,
) => void;

// Parameters, in the order of Gemm's arguments.
const [A, B, C, BIAS, G, M, N, K, AROW, ACOL, MODE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

export function gemmBody(): Body {
  const f = new Body(["a", "b", "c", "bias", "gate", "m", "n", "k", "aRow", "aCol", "mode"]);
  const int = (name: string) => f.local(I32, name);
  // i, j: row and column; kLeft: inner steps left; pa, pb, pc, pg: pointers into A, B, C and G; *4: in bytes.
  const [i, j, kLeft, pb, pc, pg, n4, aRow4, aCol4] = [
    "i",
    "j",
    "kLeft",
    "pb",
    "pc",
    "pg",
    "n4",
    "aRow4",
    "aCol4",
  ].map(int) as [number, number, number, number, number, number, number, number, number];
  const pa = Array.from({ length: ROWS }, (_, r) => int(`pa${r}`));
  const vector = {
    acc: Array.from({ length: ROWS * 2 }, (_, r) => f.local(V128, `acc${r}`)),
    b: [f.local(V128, "b0"), f.local(V128, "b1")],
    s: f.local(V128, "s"),
  };
  const scalar = {
    acc: Array.from({ length: ROWS }, (_, r) => f.local(F32, `acc${r}f`)),
    b: [f.local(F32, "b0f")],
    s: f.local(F32, "sf"),
  };

  f.get(N).i32(2).op(OP.i32Shl).set(n4);
  f.get(AROW).i32(2).op(OP.i32Shl).set(aRow4);
  f.get(ACOL).i32(2).op(OP.i32Shl).set(aCol4);
  f.i32(0).set(j);
  for (const [width, vectors] of [
    [8, 2],
    [4, 1],
    [1, 1],
  ] as const) {
    const simd = width > 1;
    const regs = simd ? vector : scalar;
    const lane = simd ? 16 : 4;
    // while (j + width <= N)
    f.op(OP.block, OP.void, OP.loop, OP.void);
    f.get(j).i32(width).op(OP.i32Add).get(N).op(OP.i32GtS, OP.brIf, 1);
    f.i32(0).set(i);
    for (const rows of [ROWS, 1]) {
      f.op(OP.block, OP.void, OP.loop, OP.void);
      f.get(i).i32(rows).op(OP.i32Add).get(M).op(OP.i32GtS, OP.brIf, 1);
      const acc = (r: number, v: number) => regs.acc[r * vectors + v]!;
      for (let r = 0; r < rows; r++) {
        for (let v = 0; v < vectors; v++) {
          f.get(BIAS).get(j).i32(2).op(OP.i32Shl, OP.i32Add);
          if (simd) f.simd(SIMD.load, v * lane);
          else f.mem(OP.f32Load, 0);
          f.set(acc(r, v));
        }
        f.get(i).i32(r).op(OP.i32Add).get(aRow4).op(OP.i32Mul).get(A).op(OP.i32Add).set(pa[r]!);
      }
      f.get(B).get(j).i32(2).op(OP.i32Shl, OP.i32Add).set(pb);
      f.get(K).set(kLeft);
      f.op(OP.loop, OP.void);
      for (let v = 0; v < vectors; v++) {
        f.get(pb);
        if (simd) f.simd(SIMD.load, v * lane);
        else f.mem(OP.f32Load, 0);
        f.set(regs.b[v]!);
      }
      for (let r = 0; r < rows; r++) {
        f.get(pa[r]!);
        if (simd) f.simd(SIMD.load32Splat, 0);
        else f.mem(OP.f32Load, 0);
        f.set(regs.s);
        for (let v = 0; v < vectors; v++) {
          f.get(acc(r, v)).get(regs.s).get(regs.b[v]!);
          if (simd) f.simd(SIMD.mul).simd(SIMD.add);
          else f.op(OP.f32Mul, OP.f32Add);
          f.set(acc(r, v));
        }
        f.addTo(pa[r]!, { local: aCol4 });
      }
      f.addTo(pb, { local: n4 });
      f.get(kLeft).i32(1).op(OP.i32Sub).set(kLeft).get(kLeft).op(OP.brIf, 0, OP.end);
      // Epilogue: optional ReLU / gate, then store row by row.
      f.get(i).get(N).op(OP.i32Mul).get(j).op(OP.i32Add).i32(2).op(OP.i32Shl).set(pc);
      f.get(pc).get(G).op(OP.i32Add).set(pg);
      f.get(pc).get(C).op(OP.i32Add).set(pc);
      // Mode tests once per tile, not per accumulator: with K = 20 the epilogue is a third of a tile.
      f.get(MODE).i32(RELU).op(OP.i32And, OP.if, OP.void);
      for (const x of regs.acc.slice(0, rows * vectors)) {
        f.get(x);
        if (simd) f.f32(0).simd(SIMD.splat).simd(SIMD.max);
        else f.f32(0).op(OP.f32Max);
        f.set(x);
      }
      f.op(OP.end);
      f.get(MODE).i32(GATE).op(OP.i32And, OP.if, OP.void);
      for (let r = 0; r < rows; r++) {
        for (let v = 0; v < vectors; v++) {
          const x = acc(r, v);
          f.get(x);
          if (simd)
            f.get(pg)
              .simd(SIMD.load, v * lane)
              .f32(0)
              .simd(SIMD.splat)
              .simd(SIMD.gt)
              .simd(SIMD.and);
          else f.f32(0).get(pg).mem(OP.f32Load, 0).f32(0).op(OP.f32Gt, OP.select);
          f.set(x);
        }
        f.addTo(pg, { local: n4 });
      }
      f.op(OP.end);
      for (let r = 0; r < rows; r++) {
        for (let v = 0; v < vectors; v++) {
          f.get(pc).get(acc(r, v));
          if (simd) f.simd(SIMD.store, v * lane);
          else f.mem(OP.f32Store, 0);
        }
        f.addTo(pc, { local: n4 });
      }
      f.addTo(i, rows);
      f.op(OP.br, 0, OP.end, OP.end);
    }
    f.addTo(j, width);
    f.op(OP.br, 0, OP.end, OP.end);
  }
  return f;
}
