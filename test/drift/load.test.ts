import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openData } from "../../core/data/readers/index.js";
import type { Batch } from "../../core/data/types.js";
import { EXACT_LIMIT, guessHints, hintsFromProfile, loadSide, type Side } from "../../core/drift/index.js";
import { ExactValues } from "../../core/scan/exact.js";
import { tempDir } from "../readers/helpers.js";
import { mulberry32 } from "./helpers.js";

// Cells that take the typed path and cells that must not (see test/readers/typed.test.ts).
const ODD = [
  "",
  "NaN",
  "-inf",
  "1e3",
  " 7",
  "0x1F",
  "1.2.3",
  "1234567890123456",
  "true",
  "abc",
  '"3"',
  '"1,5"',
];
const WORDS = ["alpha", "beta", "gamma", "", "1", "NaN", "TRUE", '"x,y"'];

/**
 * Columns typed as numbers, as text and not at all, columns with just few enough exact values to keep
 * and one with just too many; over the 8 MiB at which a file is read on two threads.
 */
function driftCsv(rows: number, seed: number): string {
  const random = mulberry32(seed);
  const pick = <T>(pool: T[]) => pool[Math.floor(random() * pool.length)]!;
  const lines = ["x,n,c,free,sparse,many,more,mixed"];
  for (let i = 0; i < rows; i++) {
    const x = random() < 0.995 ? (random() * 200 - 100).toFixed(4) : pick(ODD);
    const n = random() < 0.99 ? String(Math.floor(random() * 50)) : pick(ODD);
    const sparse = i % 4 === 0 ? (random() * 10).toFixed(2) : "";
    // Spread over the whole file (7 is prime to `rows`), so each thread sees part of them.
    const spread = (i * 7) % rows;
    const many = spread < EXACT_LIMIT ? String(i % 977) : "";
    const more = spread <= EXACT_LIMIT ? String(i % 977) : "";
    const mixed = random() < 0.5 ? pick(WORDS) : random() < 0.5 ? pick(ODD) : (random() * 9).toFixed(1);
    lines.push([x, n, pick(WORDS), `id-${i}`, sparse, many, more, mixed].join(","));
  }
  return `${lines.join("\n")}\n`;
}

const untyped = () => undefined;

/** Means and deviations of parts merged differ from one pass in the last bits: compared to 9 digits. */
function rounded(side: Side) {
  const columns = Object.fromEntries(
    Object.entries(side.profile.columns).map(([name, column]) => [
      name,
      column.numeric
        ? {
            ...column,
            numeric: {
              ...column.numeric,
              mean: Number(column.numeric.mean.toPrecision(9)),
              std: Number(column.numeric.std.toPrecision(9)),
            },
          }
        : column,
    ]),
  );
  return { profile: { ...side.profile, columns }, sorted: side.sorted };
}

describe("loadSide", () => {
  it("profiles typed and untyped, on one thread and on two, alike", async () => {
    const dir = tempDir();
    const file = join(dir, "big.csv");
    const content = driftCsv(260_000, 3);
    writeFileSync(file, content);

    const plain = await loadSide(file, { cwd: dir, hints: untyped, workers: 1 });
    const typed = await loadSide(file, { cwd: dir, workers: 1 });
    const parallel = await loadSide(file, { cwd: dir, workers: 2 });
    const parallelPlain = await loadSide(file, { cwd: dir, workers: 2, hints: untyped });
    const [source] = await openData(file, {});

    expect(content.length).toBeGreaterThan(8 << 20);
    expect(await guessHints(source!)).toEqual([
      "number",
      "number",
      "text",
      undefined,
      "number",
      "number",
      "number",
      "text",
    ]);
    expect(typed).toEqual(plain);
    expect(rounded(parallel)).toEqual(rounded(plain));
    expect(rounded(parallelPlain)).toEqual(rounded(plain));
    expect([...plain.sorted!.keys()]).toEqual(["c", "free", "sparse", "many"]);
    expect(plain.sorted!.get("sparse")!.length).toBe(65_000);
    expect(plain.sorted!.get("many")!.length).toBe(EXACT_LIMIT);
  }, 120_000);

  it("reads the current data with the kinds of a stored reference profile", async () => {
    const dir = tempDir({ "d.csv": driftCsv(3000, 5) });
    const reference = await loadSide("d.csv", { cwd: dir });

    const current = await loadSide("d.csv", { cwd: dir, hints: hintsFromProfile(reference.profile) });
    const [source] = await openData(join(dir, "d.csv"), {});

    expect(hintsFromProfile(reference.profile)(source!)).toEqual([
      "number",
      "number",
      "text",
      undefined,
      "number",
      "number",
      "number",
      "text",
    ]);
    expect(current).toEqual(reference);
  });
});

describe("ExactValues", () => {
  const batch = (values: number[]): Batch => ({
    columns: [values],
    size: values.length,
    lines: new Int32Array(values.length),
    ragged: [],
  });

  it("merges parts into the whole, and drops a column the parts together have too many of", () => {
    const half = Array.from({ length: EXACT_LIMIT / 2 }, (_, i) => i);
    const whole = new ExactValues(["a"]);
    whole.add(batch(half));
    whole.add(batch(half));
    const parts = [new ExactValues(["a"]), new ExactValues(["a"])];
    parts[0]!.add(batch(half));
    parts[1]!.add(batch(half));

    const merged = ExactValues.fromState(parts[0]!.toState());
    merged.merge(parts[1]!.toState());
    merged.merge(ExactValues.fromState({ columns: ["a"], values: [new Float64Array([1])] }));

    expect(whole.finish().get("a")!.length).toBe(EXACT_LIMIT);
    expect(ExactValues.fromState(parts[0]!.toState()).finish()).toEqual(parts[0]!.finish());
    expect(merged.finish().has("a")).toBe(false);
  });

  it("drops a column once the threads sharing a count have too many, not only its own part", () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const [a, b] = [new ExactValues(["x"], shared), new ExactValues(["x"], shared)];

    a.add(batch(Array.from({ length: EXACT_LIMIT }, () => 1)));
    b.add(batch([2]));

    expect(a.finish().has("x")).toBe(true);
    expect(b.finish().has("x")).toBe(false);
  });
});
