import { describe, expect, test } from "vitest";
import { driftMethods, kolmogorovSf, ksPValue } from "../../core/drift/index.js";
import { categoryView, lattice, normals, numericView } from "./helpers.js";

// Expected values computed once with Debian's python3-scipy (scipy.stats.ks_2samp, chisquare,
// wasserstein_distance, norm.sf; scipy.spatial.distance.jensenshannon; numpy's Sturges bins for PSI/JS)
// on the same lattice samples; the script is quoted in the test names' comments.
const a = lattice(60, 7919, 1000, 100); // ((i * 7919) % 1000) / 100, i < 60
const b = lattice(45, 104729, 1000, 100, 0.8); // ((i * 104729) % 1000) / 100 + 0.8, i < 45

const method = (name: string) => driftMethods.get(name as never)!;

describe("every drift method (contract)", () => {
  const same = numericView(normals(800, 1));
  const sameToo = numericView(normals(800, 2));
  const shifted = numericView(normals(800, 3, 1));
  const catsA = categoryView({ x: 400, y: 300, z: 100 });
  const catsB = categoryView({ x: 410, y: 290, z: 100 });
  const catsShifted = categoryView({ x: 100, y: 300, z: 400 });
  const binA = categoryView({ no: 500, yes: 300 });
  const binB = categoryView({ no: 505, yes: 295 });
  const binShifted = categoryView({ no: 200, yes: 600 });

  for (const [name, m] of driftMethods) {
    test(`${name}: declares itself consistently`, () => {
      expect(m.name).toBe(name);
      expect(m.defaultThreshold).toBe(m.kind === "test" ? 0.05 : 0.1);
      expect(m.accepts("numeric", 100) || m.accepts("categorical", 2)).toBe(true);
    });

    test(`${name}: no drift between samples of one distribution, drift after a clear shift`, () => {
      const [ref, cur, moved, as] = m.accepts("numeric", 100)
        ? ([same, sameToo, shifted, "numeric"] as const)
        : !m.accepts("categorical", 3)
          ? ([binA, binB, binShifted, "categorical"] as const)
          : ([catsA, catsB, catsShifted, "categorical"] as const);
      const flags = (x: ReturnType<typeof m.compare>) =>
        m.kind === "test" ? x.pValue! < m.defaultThreshold : x.statistic >= m.defaultThreshold;

      const quiet = m.compare(ref, cur, as);
      const loud = m.compare(ref, moved, as);

      expect([flags(quiet), flags(loud)]).toEqual([false, true]);
      expect(m.kind === "test" ? loud.pValue : loud.statistic).toBeDefined();
    });

    test(`${name}: the same input gives the same answer`, () => {
      const as = m.accepts("numeric", 100) ? "numeric" : "categorical";
      const [ref, cur] =
        as === "numeric"
          ? [same, shifted]
          : !m.accepts("categorical", 3)
            ? [binA, binShifted]
            : [catsA, catsShifted];

      expect(m.compare(ref, cur, as)).toEqual(m.compare(ref, cur, as));
    });
  }
});

describe("each method against scipy", () => {
  test("ks, exact: D = 0.10556, p = 0.91174 (ks_2samp(a, b))", () => {
    const result = method("ks").compare(numericView(a), numericView(b), "numeric");

    expect(result.statistic).toBeCloseTo(0.10555555555555556, 12);
    expect(result.pValue).toBeCloseTo(0.9117432157748226, 8);
    expect(result.source).toBe("exact");
  });

  test("ks, exact: a shifted sample, D = 0.32222, p = 0.0075757 (ks_2samp(a, b + 2.2))", () => {
    const result = method("ks").compare(numericView(a), numericView(b.map((x) => x + 2.2)), "numeric");

    expect(result.statistic).toBeCloseTo(0.32222222222222224, 12);
    expect(result.pValue).toBeCloseTo(0.0075756513165071895, 8);
  });

  test("ks, equal sizes: ks_2samp(a[:40], a[20:]) p = 0.99999999999", () => {
    expect(ksPValue(0.05, 40, 40)).toBeCloseTo(0.9999999999897727, 9);
  });

  test("ks, asymptotic: 20000 vs 20000, D = 0.00815, scipy p = 0.51729 (within 2%)", () => {
    const big1 = lattice(20_000, 7919, 10_007, 1000);
    const big2 = lattice(20_000, 104729, 10_007, 1000, 0.08);

    const result = method("ks").compare(numericView(big1), numericView(big2), "numeric");

    expect(result.statistic).toBeCloseTo(0.008150000000000102, 10);
    expect(Math.abs(result.pValue! - 0.5172886708299282)).toBeLessThan(0.01);
  });

  test("kolmogorovSf matches scipy.special.kolmogorov at 1.0 and 1.5", () => {
    // scipy.special.kolmogorov(1.0) = 0.26999967167735456, (1.5) = 0.022217962616525127
    expect(kolmogorovSf(1.0)).toBeCloseTo(0.26999967167735456, 12);
    expect(kolmogorovSf(1.5)).toBeCloseTo(0.022217962616525127, 12);
  });

  test("wasserstein: wasserstein_distance(a, b) / np.std(a) = 0.240395", () => {
    const result = method("wasserstein").compare(numericView(a), numericView(b), "numeric");

    expect(result.statistic).toBeCloseTo(0.240395001755611, 10);
  });

  test("chisquare: chisquare([30, 50, 20], [40, 40, 20]) = 5.0, p = 0.082085", () => {
    const result = method("chisquare").compare(
      categoryView({ a: 40, b: 40, c: 20 }),
      categoryView({ a: 30, b: 50, c: 20 }),
      "categorical",
    );

    expect(result.statistic).toBeCloseTo(5, 12);
    expect(result.pValue).toBeCloseTo(0.0820849986238988, 10);
  });

  test("chisquare: a category the reference never had gives p = 0", () => {
    const result = method("chisquare").compare(
      categoryView({ a: 50, b: 50 }),
      categoryView({ a: 50, b: 49, c: 1 }),
      "categorical",
    );

    expect(result.pValue).toBe(0);
  });

  test("z: 120/300 vs 150/280, z = -3.27428, p = 0.0010593 (2 * norm.sf(|z|))", () => {
    const result = method("z").compare(
      categoryView({ no: 120, yes: 180 }),
      categoryView({ no: 150, yes: 130 }),
      "categorical",
    );

    expect(result.statistic).toBeCloseTo(-3.274284981533674, 10);
    expect(result.pValue).toBeCloseTo(0.001059297214770073, 8);
  });

  test("jensenshannon: Sturges bins, base 2 = 0.151427", () => {
    const result = method("jensenshannon").compare(numericView(a), numericView(b), "numeric");

    expect(result.statistic).toBeCloseTo(0.15142694530106407, 10);
  });

  test("psi: Sturges bins, empty bins filled = 0.130238", () => {
    const result = method("psi").compare(numericView(a), numericView(b), "numeric");

    expect(result.statistic).toBeCloseTo(0.1302384402959636, 10);
  });
});
