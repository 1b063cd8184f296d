import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvByteRanges, openCsvRange, openOne } from "../../core/data/source.js";
import { rowsOf, tempDir } from "./helpers.js";

async function fullAndSplit(content: string, parts: number, name = "d.csv") {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, content);
  const full = await rowsOf(await openOne(file));
  const ranges = await csvByteRanges(file, parts);
  const pieces = [];
  for (const range of ranges) pieces.push(await rowsOf(openCsvRange(file, range)));
  const joined = {
    columns: pieces[0]!.columns,
    rows: pieces.flatMap((p) => p.rows),
    lines: pieces.flatMap((p) => p.lines),
    ragged: pieces.flatMap((p) => p.ragged),
  };
  return { full, joined, ranges, size: Buffer.byteLength(content) };
}

describe("csvByteRanges + openCsvRange", () => {
  it("split into 3 reads exactly the rows and lines of one full read", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i},v${i},${i % 7 === 0 ? "" : i * 2}`);

    const { full, joined, ranges, size } = await fullAndSplit(`a,b,c\n${rows.join("\n")}\n`, 3);

    expect(ranges.length).toBe(3);
    expect(ranges[0]!.start).toBe(6);
    expect(ranges.at(-1)!.end).toBe(size);
    expect(joined).toEqual(full);
    expect(full.rows.length).toBe(300);
  });

  it("never splits inside quoted newlines, even right at the split points", async () => {
    // Every record holds quoted newlines, so every split target lands inside or next to one.
    const rows = Array.from(
      { length: 60 },
      (_, i) => `${i},"line one\nline ""two""\n\nthree",${i % 5 === 0 ? "x,y" : "z"}`,
    );
    const content = `id,"multi\nline header",last\r\n${rows.join("\r\n")}\r\n`;

    for (const parts of [2, 3, 7, 50]) {
      const { full, joined, ranges } = await fullAndSplit(content, parts);

      expect(joined).toEqual(full);
      expect(ranges.every((r, i) => i === 0 || r.start === ranges[i - 1]!.end)).toBe(true);
    }
  });

  it("keeps blank lines, CRLF, a missing last newline and ragged rows right", async () => {
    const content = "a,b\r\n1,2\r\n\r\n3\r\n4,5,6\r\n\n7,8\r\n9,10";

    const { full, joined } = await fullAndSplit(content, 3);

    expect(joined).toEqual(full);
    expect(full.lines).toEqual([2, 7, 8]);
    expect(full.ragged).toEqual([
      { line: 4, cells: 1 },
      { line: 5, cells: 3 },
    ]);
  });

  it("gives one range for a header-only file and fewer ranges than asked for a tiny file", async () => {
    const headerOnly = await fullAndSplit("a,b\n", 4);
    const tiny = await fullAndSplit("a,b\n1,2\n", 4);

    expect(headerOnly.ranges).toEqual([{ start: 4, end: 4, firstLine: 2 }]);
    expect(tiny.ranges).toEqual([{ start: 4, end: 8, firstLine: 2 }]);
    expect(tiny.joined).toEqual(tiny.full);
  });

  it("reads TSV ranges with the tab delimiter and a BOM before the header", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i}\tü${i}`);

    const { full, joined } = await fullAndSplit(`\uFEFFk\tv\n${rows.join("\n")}\n`, 2, "d.tsv");

    expect(joined).toEqual(full);
    expect(full.columns).toEqual(["k", "v"]);
  });
});
