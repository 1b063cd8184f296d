import { describe, expect, it } from "vitest";
import { quickDecimal as quickNumber } from "../../core/data/cells.js";
import { CHECK_GROUPS } from "../../core/validate/checks/index.js";
import {
  findRepeats,
  hashNumber,
  logHash,
  mergeHashLog,
  mixNumbers,
  mixRow,
  newHashLog,
} from "../../core/validate/hash.js";
import { CheckName } from "../../core/validate/schema.js";
import { keepLine } from "../../core/validate/tally.js";

describe("check registry", () => {
  it("has every stable check name emitted by exactly one group", () => {
    const emitted = CHECK_GROUPS.flatMap((group) => group.emits);

    expect([...emitted].sort()).toEqual([...CheckName.options].sort());
    expect(new Set(CHECK_GROUPS.map((group) => group.name)).size).toBe(CHECK_GROUPS.length);
  });

  it("runs value checks before duplicate detection, which reads their row hashes", () => {
    const names = CHECK_GROUPS.map((group) => group.name);

    expect(names.indexOf("values")).toBeLessThan(names.indexOf("duplicates"));
  });
});

describe("hash log", () => {
  it("finds the same repeats whichever order parts are merged in", () => {
    const keys = [7, 9, 7, 7, 11, 9];
    const parts = [newHashLog(), newHashLog()];
    for (const [i, key] of keys.entries()) logHash(parts[i < 3 ? 0 : 1]!, key << 24, key, i + 2);
    const forward = structuredClone(parts[0]!);
    mergeHashLog(forward, parts[1]!);
    const backward = structuredClone(parts[1]!);
    mergeHashLog(backward, parts[0]!);

    const seen = (log: typeof forward) => {
      const pairs: [number, number][] = [];
      findRepeats(log, (repeat, first) => pairs.push([repeat, first]));
      return pairs.sort((a, b) => a[0] - b[0]);
    };

    expect(seen(forward)).toEqual([
      [4, 2],
      [5, 2],
      [7, 3],
    ]);
    expect(seen(backward)).toEqual(seen(forward));
  });

  it("merges interleaved lines, and parts spanning several blocks, like one pass", () => {
    const rows = 5000;
    const key = (line: number) => (line % 3) << 24;
    const whole = newHashLog();
    const parts = [newHashLog(), newHashLog()];
    for (let line = 2; line < rows; line++) {
      logHash(whole, key(line), 1, line);
      logHash(parts[line < rows / 2 ? 0 : 1]!, key(line), 1, line);
    }
    const odd = newHashLog();
    const even = newHashLog();
    for (let line = 2; line < rows; line++) logHash(line % 2 ? odd : even, key(line), 1, line);
    const halves = structuredClone(parts[1]!);
    mergeHashLog(halves, parts[0]!);
    mergeHashLog(odd, even);

    const seen = (log: typeof whole) => {
      const pairs: [number, number][] = [];
      findRepeats(log, (repeat, first) => pairs.push([repeat, first]));
      return pairs.sort((a, b) => a[0] - b[0]);
    };

    expect(seen(halves)).toEqual(seen(whole));
    expect(seen(odd)).toEqual(seen(whole));
    expect(seen(whole)).toHaveLength(rows - 2 - 3);
  });

  it("finds each repeat's first line when threads took byte ranges in turn (runs of blocks)", () => {
    const key = (line: number) => (line % 5) << 24;
    const whole = newHashLog();
    const threads = [newHashLog(), newHashLog(), newHashLog()];
    for (let line = 2; line < 9000; line++) {
      logHash(whole, key(line), 1, line);
      // Ranges of 1,000 lines handed out to three threads in turn.
      logHash(threads[Math.floor(line / 1000) % 3]!, key(line), 1, line);
    }
    const merged = threads[2]!;
    mergeHashLog(merged, threads[0]!);
    mergeHashLog(merged, threads[1]!);

    const seen = (log: typeof whole) => {
      const pairs: [number, number][] = [];
      findRepeats(log, (repeat, first) => pairs.push([repeat, first]));
      return pairs.sort((a, b) => a[0] - b[0]);
    };

    expect(seen(merged)).toEqual(seen(whole));
    expect(seen(whole).slice(0, 2)).toEqual([
      [7, 2],
      [8, 3],
    ]);
  });
});

describe("keepLine", () => {
  it("keeps the smallest lines ascending whatever order they arrive in", () => {
    const lines: number[] = [];

    for (const line of [9, 3, 12, 1, 5, 2]) keepLine(lines, line, 3);

    expect(lines).toEqual([1, 2, 3]);
  });
});

describe("quickDecimal", () => {
  it.each([
    "0",
    "-0",
    "1.",
    ".5",
    "-.5",
    "+3",
    "007",
    "0.000",
    "1e3",
    " 1",
    "12.25",
    "123456789012345678901234",
  ])("parses %j exactly as Number does", (text) => {
    expect(Object.is(quickNumber(text), Number(text))).toBe(true);
  });

  it.each(["", " ", "-", ".", "abc", "1.2.3", "NaN", "0x10"])("gives NaN for %j", (text) => {
    expect(quickNumber(text)).toBeNaN();
  });

  it("stays within a few ulps on 17-digit decimals", () => {
    const value = 0.1 + 0.2;

    expect(Math.abs(quickNumber(String(value)) - value)).toBeLessThanOrEqual(4 * Number.EPSILON * value);
  });
});

describe("row hashes", () => {
  it("mixes a typed batch of numbers exactly as hashNumber and mixRow do one cell at a time", () => {
    const numbers = Float64Array.from([0, -0, 1, -1, 0.1, 1e300, -2.5e-300, 123456789.123, 5e-324, 42]);
    const size = numbers.length - 1;
    const [a1, b1] = [Int32Array.from({ length: size }, (_, i) => i * 7919), new Int32Array(size).fill(-3)];
    const [a2, b2] = [a1.slice(), b1.slice()];
    mixNumbers(numbers, size, a1, b1);
    for (let r = 0; r < size; r++) {
      hashNumber(numbers[r]!);
      mixRow(a2, b2, r);
    }

    expect(Array.from(a1)).toEqual(Array.from(a2));
    expect(Array.from(b1)).toEqual(Array.from(b2));
  });

  it("hashes -0 as 0 in a typed batch", () => {
    const [rowA, rowB] = [new Int32Array(2), new Int32Array(2)];
    mixNumbers(Float64Array.of(0, -0), 2, rowA, rowB);

    expect([rowA[1], rowB[1]]).toEqual([rowA[0], rowB[0]]);
  });
});
