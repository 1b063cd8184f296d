import { describe, expect, it } from "vitest";
import { HyperLogLog } from "../../core/profile/hll.js";
import { DISTINCT_CAP, ValueCounter } from "../../core/profile/values.js";

describe("value counter", () => {
  it("estimates a batch of numbers with the registers hashKey gives each value", () => {
    // Past the cap, with negatives, fractions, huge and tiny magnitudes and small whole numbers mixed in.
    const values = Float64Array.from({ length: 3 * DISTINCT_CAP }, (_, i) =>
      i % 7 === 0 ? i % 100 : (i % 2 ? -1 : 1) * (i * 1.37) ** (i % 5 === 0 ? 9 : 1) * 10 ** ((i % 11) - 5),
    );
    const batch = new ValueCounter();
    batch.countNumbers(values, values.length);
    const expected = new HyperLogLog();
    for (const x of values) if (!(x >= 0 && x < 4096 && Number.isInteger(x))) expected.addKey(x);

    const registers = batch.toState().hll ?? new Uint8Array();
    expect(batch.truncated).toBe(true);
    expect(Array.from(registers)).toEqual(Array.from(expected.registers));
  });
});
