import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/action.js";
import { type FunctionSpan, functionSpans, lineCount, readSource, SHAPED, shapedFiles } from "./shape.js";

/** docs/STYLE: files stay under about 300 lines; a function that needs a scroll wants splitting. */
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

/**
 * Files (`path`) and functions (`path:name`) allowed to break the rules for now, each with its reason: empty,
 * and to be kept so. An entry that no longer breaks its rule fails the last test below, so it cannot go stale.
 */
const PENDING: readonly string[] = [];

describe(`the code's shape (${SHAPED.join(", ")})`, () => {
  const lines = new Map<string, number>();
  const spans: FunctionSpan[] = [];

  beforeAll(async () => {
    for (const file of await shapedFiles()) {
      const text = await readSource(file);
      lines.set(file, lineCount(text));
      spans.push(...functionSpans(file, text));
    }
  });

  it(`has no .ts file over ${MAX_FILE_LINES} lines`, () => {
    const long = [...lines].filter(([file, n]) => n > MAX_FILE_LINES && !PENDING.includes(file));

    expect(lines.size).toBeGreaterThan(300);
    expect(long.map(([file, n]) => `${file}: ${n} lines`)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = spans.filter((s) => s.lines > MAX_FUNCTION_LINES && !PENDING.includes(s.id));

    expect(spans.length).toBeGreaterThan(1000);
    expect(long.map((s) => `${s.id} (lines ${s.start}-${s.end}): ${s.lines} lines`)).toEqual([]);
  });

  it("lists as pending only files and functions that still break the rule", () => {
    const stillLong = (entry: string) => {
      if (!entry.includes(":")) return (lines.get(entry) ?? 0) > MAX_FILE_LINES;
      return spans.some((s) => s.id === entry && s.lines > MAX_FUNCTION_LINES);
    };

    const stale = PENDING.filter((entry) => !stillLong(entry));

    expect(PENDING.every((entry) => existsSync(path.join(repoRoot, entry.split(":")[0]!)))).toBe(true);
    expect(stale, "split now: take these out of PENDING").toEqual([]);
  });
});

describe("functionSpans (the heuristic the size rule relies on)", () => {
  const sample = [
    "export async function declared(", // 1
    "  a: string,",
    "  b: number,",
    "): Promise<void> {",
    "  if (a) {",
    "    await run(b, () => {",
    "      return;",
    "    });",
    "  } else {",
    "    try {", // 10
    "      b++;",
    "    } catch (error) {",
    "      throw error;",
    "    }",
    "  }",
    "  const options = {",
    "    method(x: number) {",
    "      return x;",
    "    },",
    "  };", // 20
    "}",
    "",
    "export class Store {",
    "  private async read<T>(name: string): Promise<T> {",
    "    return load(name);",
    "  }",
    "  constructor(readonly root: string) {}",
    "}",
    "",
    "export const arrow = async (x: number): Promise<number> => {", // 30
    "  const y = items.map((item) => {",
    "    return item + x;",
    "  });",
    "  return y; // a comment {",
    "};",
    "const expression = (x: number) => x + 1;",
  ].join("\n");

  it("finds declarations, methods, assigned arrows and callbacks with their whole bodies, and nothing else", () => {
    const found = functionSpans("sample.ts", sample).map(({ name, start, end }) => ({ name, start, end }));

    expect(found).toEqual([
      { name: "declared", start: 1, end: 21 },
      { name: "declared/anonymous", start: 6, end: 8 },
      { name: "method", start: 17, end: 19 },
      { name: "read", start: 24, end: 26 },
      { name: "arrow", start: 30, end: 35 },
      { name: "arrow/anonymous", start: 31, end: 33 },
    ]);
  });
});
