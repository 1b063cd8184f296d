import { hashKey } from "./hash.js";

/** 2^14 registers: standard error 1.04 / sqrt(16384) = 0.81%. */
export const HLL_PRECISION = 14;
const M = 1 << HLL_PRECISION;
export const HLL_RELATIVE_ERROR = 1.04 / Math.sqrt(M);

/**
 * HyperLogLog over 32-bit hashes. The registers depend only on the set of values seen,
 * so merging (register-wise max) gives exactly what one pass over all the data gives.
 */
export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    this.registers = registers ?? new Uint8Array(M);
  }

  addHash(hash: number): void {
    const index = hash >>> (32 - HLL_PRECISION);
    // Rank of the first set bit in the remaining bits; the guard bit caps it at 32 - p + 1.
    const rest = (hash << HLL_PRECISION) | (1 << (HLL_PRECISION - 1));
    const rank = Math.clz32(rest) + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  addKey(key: number | boolean | string): void {
    this.addHash(hashKey(key));
  }

  merge(other: HyperLogLog): void {
    const r = this.registers;
    const o = other.registers;
    for (let i = 0; i < M; i++) if (o[i]! > r[i]!) r[i] = o[i]!;
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const v = this.registers[i]!;
      sum += 2 ** -v;
      if (v === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    const raw = (alpha * M * M) / sum;
    // Linear counting is the better estimator while many registers are still empty (Flajolet et al.).
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }
}
