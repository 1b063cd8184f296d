import { describe, expect, it } from "vitest";
import { dropoutBase, dropped, dropThreshold } from "../../core/model/random.js";

describe("dropout masks (counter-based)", () => {
  it("drop the requested share of units, independently across calls and seeds", () => {
    const n = 200_000;
    const threshold = dropThreshold(0.1);
    const share = (seed: number, call: number) => {
      const base = dropoutBase(seed, call);
      let count = 0;
      for (let i = 0; i < n; i++) if (dropped(base, i, threshold)) count++;
      return count / n;
    };
    const a = dropoutBase(1, 0);
    const b = dropoutBase(1, 1);
    let both = 0;
    for (let i = 0; i < n; i++) if (dropped(a, i, threshold) && dropped(b, i, threshold)) both++;

    for (const [seed, call] of [
      [1, 0],
      [1, 1],
      [2, 0],
      [7, 12345],
    ] as const) {
      expect(Math.abs(share(seed, call) - 0.1)).toBeLessThan(0.003);
    }
    // Two calls' masks are independent: P(both dropped) = 0.01.
    expect(Math.abs(both / n - 0.01)).toBeLessThan(0.001);
  });

  it("are a pure function of seed, call and element", () => {
    const threshold = dropThreshold(0.5);
    const draw = (seed: number, call: number) =>
      Array.from({ length: 64 }, (_, i) => dropped(dropoutBase(seed, call), i, threshold));

    expect(draw(3, 9)).toEqual(draw(3, 9));
    expect(draw(3, 9)).not.toEqual(draw(4, 9));
    expect(draw(3, 9)).not.toEqual(draw(3, 10));
  });

  it("keep everything at rate 0 and drop nearly everything near 1", () => {
    const base = dropoutBase(1, 0);
    const none = Array.from({ length: 10_000 }, (_, i) => dropped(base, i, dropThreshold(0))).filter(Boolean);
    const most = Array.from({ length: 10_000 }, (_, i) => dropped(base, i, dropThreshold(0.99))).filter(
      Boolean,
    );

    expect(none.length).toBe(0);
    expect(most.length).toBeGreaterThan(9_800);
  });
});
