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

/** The function's locals; declared in this order, which fixes their indices in the emitted bytes. */
interface Locals {
  /** i, j: row and column; kLeft: inner steps left; pa, pb, pc, pg: pointers into A, B, C and G; *4: in bytes. */
  i: number;
  j: number;
  kLeft: number;
  pb: number;
  pc: number;
  pg: number;
  n4: number;
  aRow4: number;
  aCol4: number;
  pa: number[];
  vector: Registers;
  scalar: Registers;
}

/** A tile's accumulators (row by row, vector by vector), its B values and the splat of an A value. */
interface Registers {
  acc: number[];
  b: number[];
  s: number;
}

/** One tile shape: `rows` rows by `vectors` SIMD vectors (16 bytes a lane), or by one float. */
interface Tile {
  simd: boolean;
  regs: Registers;
  lane: number;
  vectors: number;
  rows: number;
  acc: (r: number, v: number) => number;
}

// Column passes: 8 columns as 2 vectors while they last, then 4 as one, then single floats.
const COLUMN_PASSES = [
  [8, 2],
  [4, 1],
  [1, 1],
] as const;

export function gemmBody(): Body {
  const f = new Body(["a", "b", "c", "bias", "gate", "m", "n", "k", "aRow", "aCol", "mode"]);
  const at = declareLocals(f);
  f.get(N).i32(2).op(OP.i32Shl).set(at.n4);
  f.get(AROW).i32(2).op(OP.i32Shl).set(at.aRow4);
  f.get(ACOL).i32(2).op(OP.i32Shl).set(at.aCol4);
  f.i32(0).set(at.j);
  for (const [width, vectors] of COLUMN_PASSES) columnPass(f, at, width, vectors);
  return f;
}

function declareLocals(f: Body): Locals {
  const int = (name: string) => f.local(I32, name);
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
  return { i, j, kLeft, pb, pc, pg, n4, aRow4, aCol4, pa, vector, scalar };
}

/** while (j + width <= N): every row of these `width` columns, 4 rows at a time, then single rows. */
function columnPass(f: Body, at: Locals, width: number, vectors: number): void {
  const simd = width > 1;
  const regs = simd ? at.vector : at.scalar;
  f.op(OP.block, OP.void, OP.loop, OP.void);
  f.get(at.j).i32(width).op(OP.i32Add).get(N).op(OP.i32GtS, OP.brIf, 1);
  f.i32(0).set(at.i);
  for (const rows of [ROWS, 1]) {
    const acc = (r: number, v: number) => regs.acc[r * vectors + v]!;
    rowPass(f, at, { simd, regs, lane: simd ? 16 : 4, vectors, rows, acc });
  }
  f.addTo(at.j, width);
  f.op(OP.br, 0, OP.end, OP.end);
}

/** while (i + rows <= M): one tile per step, from bias to stored result. */
function rowPass(f: Body, at: Locals, t: Tile): void {
  f.op(OP.block, OP.void, OP.loop, OP.void);
  f.get(at.i).i32(t.rows).op(OP.i32Add).get(M).op(OP.i32GtS, OP.brIf, 1);
  loadBias(f, at, t);
  innerProduct(f, at, t);
  f.get(at.i).get(N).op(OP.i32Mul).get(at.j).op(OP.i32Add).i32(2).op(OP.i32Shl).set(at.pc);
  f.get(at.pc).get(G).op(OP.i32Add).set(at.pg);
  f.get(at.pc).get(C).op(OP.i32Add).set(at.pc);
  // Mode tests once per tile, not per accumulator: with K = 20 the epilogue is a third of a tile.
  reluEpilogue(f, t);
  gateEpilogue(f, at, t);
  store(f, at, t);
  f.addTo(at.i, t.rows);
  f.op(OP.br, 0, OP.end, OP.end);
}

/** A vector (or a float) from the address on the stack, `v` vectors on. */
function load(f: Body, t: Tile, v: number): void {
  if (t.simd) f.simd(SIMD.load, v * t.lane);
  else f.mem(OP.f32Load, 0);
}

/** Accumulators start at the bias; pa[r] at the start of A's row i + r. */
function loadBias(f: Body, at: Locals, t: Tile): void {
  for (let r = 0; r < t.rows; r++) {
    for (let v = 0; v < t.vectors; v++) {
      f.get(BIAS).get(at.j).i32(2).op(OP.i32Shl, OP.i32Add);
      load(f, t, v);
      f.set(t.acc(r, v));
    }
    f.get(at.i).i32(r).op(OP.i32Add).get(at.aRow4).op(OP.i32Mul).get(A).op(OP.i32Add).set(at.pa[r]!);
  }
}

/** K steps of acc += A[i + r, k] * B[k, j..]: B's vectors loaded once per step, A's value splat per row. */
function innerProduct(f: Body, at: Locals, t: Tile): void {
  const { regs } = t;
  f.get(B).get(at.j).i32(2).op(OP.i32Shl, OP.i32Add).set(at.pb);
  f.get(K).set(at.kLeft);
  f.op(OP.loop, OP.void);
  for (let v = 0; v < t.vectors; v++) {
    f.get(at.pb);
    load(f, t, v);
    f.set(regs.b[v]!);
  }
  for (let r = 0; r < t.rows; r++) {
    f.get(at.pa[r]!);
    if (t.simd) f.simd(SIMD.load32Splat, 0);
    else f.mem(OP.f32Load, 0);
    f.set(regs.s);
    for (let v = 0; v < t.vectors; v++) {
      f.get(t.acc(r, v)).get(regs.s).get(regs.b[v]!);
      if (t.simd) f.simd(SIMD.mul).simd(SIMD.add);
      else f.op(OP.f32Mul, OP.f32Add);
      f.set(t.acc(r, v));
    }
    f.addTo(at.pa[r]!, { local: at.aCol4 });
  }
  f.addTo(at.pb, { local: at.n4 });
  f.get(at.kLeft).i32(1).op(OP.i32Sub).set(at.kLeft).get(at.kLeft).op(OP.brIf, 0, OP.end);
}

/** if (mode & RELU) acc = max(acc, 0). */
function reluEpilogue(f: Body, t: Tile): void {
  f.get(MODE).i32(RELU).op(OP.i32And, OP.if, OP.void);
  for (const x of t.regs.acc.slice(0, t.rows * t.vectors)) {
    f.get(x);
    if (t.simd) f.f32(0).simd(SIMD.splat).simd(SIMD.max);
    else f.f32(0).op(OP.f32Max);
    f.set(x);
  }
  f.op(OP.end);
}

/** if (mode & GATE) acc = G > 0 ? acc : 0, G read row by row from pg. */
function gateEpilogue(f: Body, at: Locals, t: Tile): void {
  f.get(MODE).i32(GATE).op(OP.i32And, OP.if, OP.void);
  for (let r = 0; r < t.rows; r++) {
    for (let v = 0; v < t.vectors; v++) {
      const x = t.acc(r, v);
      f.get(x);
      if (t.simd)
        f.get(at.pg)
          .simd(SIMD.load, v * t.lane)
          .f32(0)
          .simd(SIMD.splat)
          .simd(SIMD.gt)
          .simd(SIMD.and);
      else f.f32(0).get(at.pg).mem(OP.f32Load, 0).f32(0).op(OP.f32Gt, OP.select);
      f.set(x);
    }
    f.addTo(at.pg, { local: at.n4 });
  }
  f.op(OP.end);
}

/** The tile into C, row by row from pc. */
function store(f: Body, at: Locals, t: Tile): void {
  for (let r = 0; r < t.rows; r++) {
    for (let v = 0; v < t.vectors; v++) {
      f.get(at.pc).get(t.acc(r, v));
      if (t.simd) f.simd(SIMD.store, v * t.lane);
      else f.mem(OP.f32Store, 0);
    }
    f.addTo(at.pc, { local: at.n4 });
  }
}
