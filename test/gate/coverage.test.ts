import { describe, expect, test } from "vitest";
import { type Cell, simulate } from "./simulation.js";

// The gate's error rates by simulation (seeded, so the same shares every run): maxDrop 0.02, two
// models whose predictions differ on 10% of the rows. `npm run bench -- gate` runs the full grid.
const REPEATS = 500;
const metrics: Cell["metric"][] = ["accuracy", "f1_macro", "balanced_accuracy"];

describe.each(metrics)("%s, maxDrop 0.02, models disagreeing on 10% of rows", (metric) => {
  test.each([150, 1000])(
    "%i rows: a challenger exactly at the margin passes at most 8 percent of the time",
    (rows) => {
      const rates = simulate({ metric, rows, drop: 0.02, repeats: REPEATS });

      expect(rates.pass).toBeLessThanOrEqual(0.08);
      expect(rates.pass + rates.inconclusive + rates.fail).toBeCloseTo(1, 12);
    },
  );

  test("a challenger 5 points worse never passes on 1,000 rows, and mostly fails outright", () => {
    const rates = simulate({ metric, rows: 1000, drop: 0.05, repeats: REPEATS });

    expect(rates.pass).toBe(0);
    expect(rates.fail).toBeGreaterThan(0.9);
  });
});
