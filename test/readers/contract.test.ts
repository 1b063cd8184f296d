import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { readers } from "../../core/data/readers/index.js";
import { openOne } from "../../core/data/source.js";
import type { FormatName } from "../../core/data/types.js";
import { collect, rowsOf, tempDir } from "./helpers.js";

/** One logical table, 25 rows, written in every format; CSV/TSV cells come back as strings. */
const ids = Array.from({ length: 25 }, (_, i) => i + 1);
const names = ids.map((i) => (i % 5 === 0 ? `name, with "quote" ${i}` : `n${i}`));
const scores = ids.map((i) => i * 1.5);
const flags = ids.map((i) => i % 2 === 0);

function csvText(delimiter: string): string {
  const quote = (text: string) => (/[",\t\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = ids.map((id, r) => [id, quote(names[r]!), scores[r], flags[r]].join(delimiter));
  return `id${delimiter}name${delimiter}score${delimiter}flag\n${lines.join("\n")}\n`;
}

const writers: Record<FormatName, { file: string; write: (path: string) => void; typed: boolean }> = {
  csv: { file: "t.csv", write: (p) => writeFileSync(p, csvText(",")), typed: false },
  tsv: { file: "t.tsv", write: (p) => writeFileSync(p, csvText("\t")), typed: false },
  jsonl: {
    file: "t.jsonl",
    write: (p) =>
      writeFileSync(
        p,
        ids
          .map((id, r) => JSON.stringify({ id, name: names[r], score: scores[r], flag: flags[r] }))
          .join("\n"),
      ),
    typed: true,
  },
  json: {
    file: "t.json",
    write: (p) =>
      writeFileSync(
        p,
        `[\n${ids.map((id, r) => JSON.stringify({ id, name: names[r], score: scores[r], flag: flags[r] })).join(",\n")}\n]\n`,
      ),
    typed: true,
  },
  parquet: {
    file: "t.parquet",
    write: (p) =>
      writeFileSync(
        p,
        new Uint8Array(
          parquetWriteBuffer({
            columnData: [
              { name: "id", data: ids, type: "INT32" },
              { name: "name", data: names, type: "STRING" },
              { name: "score", data: scores, type: "DOUBLE" },
              { name: "flag", data: flags, type: "BOOLEAN" },
            ],
            rowGroupSize: 10,
          }),
        ),
      ),
    typed: true,
  },
};

describe.each([...readers.keys()])("reader contract: %s", (format) => {
  const spec = writers[format];
  const dir = tempDir();
  spec.write(join(dir, spec.file));

  it("reads the same logical table", async () => {
    const source = await openOne(spec.file, { cwd: dir });

    const table = await rowsOf(source);

    const expected = ids.map((id, r) =>
      spec.typed
        ? [id, names[r], scores[r], flags[r]]
        : [String(id), names[r], String(scores[r]), String(flags[r])],
    );
    expect(source.format).toBe(format);
    expect(source.name).toBe(spec.file);
    expect(table.columns).toEqual(["id", "name", "score", "flag"]);
    expect(table.rows).toEqual(expected);
    expect(table.ragged).toEqual([]);
    // CSV: the header is line 1; a JSON array's first record is on line 2, after the "[" line.
    const offset = format === "csv" || format === "tsv" || format === "json" ? 1 : 0;
    expect(table.lines).toEqual(ids.map((i) => i + offset));
  });

  it("cuts batches of the size asked for, every column as long as the batch", async () => {
    const source = await openOne(spec.file, { cwd: dir });

    const batches = await collect(source, 7);

    expect(batches.map((b) => b.size)).toEqual([7, 7, 7, 4]);
    for (const batch of batches) {
      expect(batch.columns.map((c) => c.length)).toEqual([batch.size, batch.size, batch.size, batch.size]);
      expect(batch.lines.length).toBe(batch.size);
    }
  });

  it("can be read twice", async () => {
    const source = await openOne(spec.file, { cwd: dir });

    const first = await rowsOf(source);
    const second = await rowsOf(source);

    expect(second).toEqual(first);
  });

  it("is found by content when the extension says nothing, unless the format is forced", async () => {
    const plain = join(dir, `${format}.data`);
    spec.write(plain);

    const sniffed = await openOne(plain);
    const forced = await openOne(plain, { format });

    expect(forced.format).toBe(format);
    expect(sniffed.format).toBe(format === "tsv" ? "csv" : format);
  });
});
