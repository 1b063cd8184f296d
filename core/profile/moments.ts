/**
 * A column's count, mean and M2 (sum of squared deviations), kept so that the result does not
 * depend on how the rows were split between threads. Each batch's moments (two passes over its
 * values) are held with the batch's first line; `settle` joins the held batches in line order with
 * Chan et al.'s formulas. One pass over a file and any split of it over threads join the same
 * batches in the same order, so they agree to the bit (floating-point sums depend on their order).
 */
export class Moments {
  count = 0;
  mean = 0;
  m2 = 0;
  /** Batches not joined yet: [key, count, mean, m2] each. */
  private held: number[] = [];

  /** One batch's count, mean and M2 (computed by the caller in two passes), first row on line `key`. */
  addBatch(key: number, count: number, mean: number, m2: number): void {
    this.held.push(key, count, mean, m2);
  }

  /** Another part's moments: its joined ones now, its held batches with these. */
  merge(other: Moments): void {
    if (other.count > 0) this.join(other.count, other.mean, other.m2);
    for (const x of other.held) this.held.push(x);
  }

  /** Joins the held batches, in key (line) order. */
  settle(): void {
    const held = this.held;
    if (held.length === 0) return;
    const order = Array.from({ length: held.length / 4 }, (_, i) => i);
    order.sort((a, b) => held[4 * a]! - held[4 * b]! || a - b);
    for (const i of order) this.join(held[4 * i + 1]!, held[4 * i + 2]!, held[4 * i + 3]!);
    this.held = [];
  }

  private join(nb: number, meanB: number, m2B: number): void {
    const na = this.count;
    const n = na + nb;
    const delta = meanB - this.mean;
    this.mean += (delta * nb) / n;
    this.m2 += m2B + (delta * delta * na * nb) / n;
    this.count = n;
  }

  toState(): MomentsState {
    return { joined: Float64Array.of(this.count, this.mean, this.m2), held: Float64Array.from(this.held) };
  }

  static fromState(state: MomentsState): Moments {
    const moments = new Moments();
    moments.count = state.joined[0]!;
    moments.mean = state.joined[1]!;
    moments.m2 = state.joined[2]!;
    moments.held = Array.from(state.held);
    return moments;
  }
}

/** Plain data for structured clone. */
export interface MomentsState {
  joined: Float64Array;
  held: Float64Array;
}
