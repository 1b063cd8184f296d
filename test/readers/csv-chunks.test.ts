import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readChunksAhead } from "../../core/data/readers/bytes.js";
import { CsvParser } from "../../core/data/readers/csv-parse.js";
import { openOne } from "../../core/data/source.js";
import { rowsOf, tempDir } from "./helpers.js";

/** A deterministic generator, so a failure reproduces. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const pieces = [
  "plain",
  "",
  "with,comma",
  'say "hi"',
  "two\nlines",
  "crlf\r\ninside",
  "ü€😀",
  '"',
  "x".repeat(40),
];

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

describe("CSV chunk boundaries", () => {
  it("reads a 3 MiB file of mixed quoted fields exactly as written", async () => {
    const next = random(7);
    const rows: string[][] = [];
    const lines: number[] = [];
    let text = "a,b,c\n";
    let line = 2;
    while (text.length < 3 * (1 << 20)) {
      const row = [0, 1, 2].map(() => pieces[Math.floor(next() * pieces.length)]!);
      rows.push(row);
      lines.push(line);
      const record = row.map(quote).join(",");
      text += record + (next() < 0.5 ? "\r\n" : "\n");
      line += 1 + (record.match(/\n/g)?.length ?? 0);
    }
    const dir = tempDir({ "d.csv": text });

    const table = await rowsOf(await openOne("d.csv", { cwd: dir }));

    expect(table.ragged).toEqual([]);
    expect(table.rows.length).toBe(rows.length);
    expect(table.rows).toEqual(rows);
    expect(table.lines).toEqual(lines);
  });
});

describe("CsvParser fed in two pieces", () => {
  const text = 'a,b\r\n"x,""y""",1\n\n"multi\r\nline",""\r\nplain,"end"""\n"q"tail,z\nlast,"no newline"';

  function parseIn(pieces: string[]) {
    const parser = new CsvParser({ ncol: 2, delimiter: ",", batchSize: 3, line: 1, file: "t.csv" });
    let rest = "";
    pieces.forEach((piece, i) => {
      const s = rest + piece;
      rest = s.slice(parser.parse(s, i === pieces.length - 1));
    });
    return parser.done.map((b) => ({ rows: b.columns, lines: [...b.lines], ragged: b.ragged }));
  }

  it("gives the same batches wherever the text is cut", () => {
    const whole = parseIn([text]);

    for (let cut = 0; cut <= text.length; cut++) {
      expect(parseIn([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(whole.flatMap((b) => b.lines)).toEqual([1, 2, 4, 6, 7, 8]);
    expect(whole[0]!.rows).toEqual([
      ["a", 'x,"y"', "multi\r\nline"],
      ["b", "1", ""],
    ]);
    expect(whole[1]!.rows).toEqual([
      ["plain", "qtail", "last"],
      ['end"', "z", "no newline"],
    ]);
  });
});

describe("reading ahead", () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);
  const file = join(tempDir({ "b.bin": bytes }), "b.bin");

  it("gives every byte in order, in chunks, whatever the chunk size", async () => {
    for (const size of [1, 3, 64, 999, 1000, 4096]) {
      const seen: number[] = [];
      let chunks = 0;
      // Each chunk is copied before the next is asked for: its buffer is reused after that.
      for await (const chunk of readChunksAhead(file, "b.bin", size)) {
        seen.push(...chunk);
        chunks++;
      }
      expect(seen, `chunks of ${size}`).toEqual([...bytes]);
      expect(chunks).toBe(Math.ceil(bytes.length / size));
    }
  });

  it("stops early, and names the file it cannot open", async () => {
    for await (const chunk of readChunksAhead(file, "b.bin", 10)) {
      expect([...chunk]).toEqual([...bytes.subarray(0, 10)]);
      break;
    }
    await expect(readChunksAhead(join(file, "..", "none.bin"), "none.bin").next()).rejects.toMatchObject({
      message: "no such file",
      location: { file: "none.bin" },
    });
  });
});
