import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openOne } from "../../core/data/source.js";
import { UserError } from "../../core/errors.js";
import { collect, rowsOf, tempDir } from "./helpers.js";

async function read(content: string | Uint8Array, file = "d.csv", options = {}) {
  const dir = tempDir({ [file]: content });
  return rowsOf(await openOne(file, { cwd: dir, ...options }));
}

async function failure(content: string | Uint8Array, file = "d.csv"): Promise<UserError> {
  const dir = tempDir({ [file]: content });
  const error = await openOne(file, { cwd: dir })
    .then((source) => rowsOf(source))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe("CSV reader", () => {
  it("reads quoted fields, escaped quotes and empty cells", async () => {
    const table = await read('a,b,c\n"x, y","say ""hi""",\n,,""\n');

    expect(table.rows).toEqual([
      ["x, y", 'say "hi"', ""],
      ["", "", ""],
    ]);
    expect(table.lines).toEqual([2, 3]);
  });

  it("gives a record the line it starts on when quoted fields hold newlines", async () => {
    const table = await read('a,b\n1,"two\nlines"\n2,"three\r\nmore\nlines"\n3,x\n');

    expect(table.rows).toEqual([
      ["1", "two\nlines"],
      ["2", "three\r\nmore\nlines"],
      ["3", "x"],
    ]);
    expect(table.lines).toEqual([2, 4, 7]);
  });

  it("reads CRLF line ends and a last line without a newline", async () => {
    const table = await read("a,b\r\n1,2\r\n3,4");

    expect(table.columns).toEqual(["a", "b"]);
    expect(table.rows).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
  });

  it("strips a UTF-8 byte order mark and keeps multi-byte text", async () => {
    const table = await read("\uFEFFname,city\nJosé,Zürich\n");

    expect(table.columns).toEqual(["name", "city"]);
    expect(table.rows).toEqual([["José", "Zürich"]]);
  });

  it("skips blank lines but still counts them", async () => {
    const table = await read("\na,b\n\n1,2\n\r\n3,4\n\n");

    expect(table.rows).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(table.lines).toEqual([4, 6]);
  });

  it("puts rows with the wrong number of cells in ragged", async () => {
    const table = await read('a,b,c\n1,2,3\n1,2\n1,2,3,4\n"q",2,3\n"q",2\n');

    expect(table.rows).toEqual([
      ["1", "2", "3"],
      ["q", "2", "3"],
    ]);
    expect(table.lines).toEqual([2, 5]);
    expect(table.ragged).toEqual([
      { line: 3, cells: 2 },
      { line: 4, cells: 4 },
      { line: 6, cells: 2 },
    ]);
  });

  it("reads a header-only file as zero rows", async () => {
    const table = await read("a,b\n");

    expect(table).toEqual({ columns: ["a", "b"], rows: [], lines: [], ragged: [] });
  });

  it("uses a custom delimiter, and tabs for .tsv", async () => {
    const semi = await read("a;b\n1;2,5\n", "d.csv", { delimiter: ";" });
    const tabs = await read("a\tb\n1\t2,5\n", "d.tsv");

    expect(semi.rows).toEqual([["1", "2,5"]]);
    expect(tabs.rows).toEqual([["1", "2,5"]]);
  });

  it("reads a 1 MB field", async () => {
    const big = "x".repeat(1_000_000);

    const table = await read(`a,b\n1,"${big}"\n2,${big}\n3,z\n`);

    expect(table.rows.map((row) => (row[1] as string).length)).toEqual([1_000_000, 1_000_000, 1]);
    expect(table.lines).toEqual([2, 3, 4]);
  });

  it("keeps a multi-byte character cut by the chunk boundary", async () => {
    // 1 MiB chunks: put a 3-byte character across the first boundary.
    const pad = "y".repeat((1 << 20) - "a\n".length - 1);

    const table = await read(`a\n${pad}€\n€\n`);

    expect(table.rows.map((row) => (row[0] as string).slice(-1))).toEqual(["€", "€"]);
  });

  it.each([
    ["an empty file", "", undefined, /empty file: expected a header line/],
    ["only whitespace and a BOM", "\uFEFF \n\n", undefined, /empty file/],
    ["an unterminated quote", 'a,b\n1,2\n3,"open\nmore\n', 3, /unterminated quoted field/],
    ["a duplicate column", "a,b,a\n1,2,3\n", 1, /duplicate column name 'a'.*columns 1 and 3/],
    ["an empty column name", "a,,c\n1,2,3\n", 1, /column 2 has an empty name/],
  ])("refuses %s with exit code 1", async (_name, content, line, message) => {
    const error = await failure(content);

    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(1);
    expect(error.location).toEqual({ file: "d.csv", line });
  });

  it("names the line of bytes that are not UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from("a,b\n1,2\n3,"), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]);

    const error = await failure(bytes);

    expect(error.message).toMatch(/not valid UTF-8/);
    expect(error.location).toEqual({ file: "d.csv", line: 3 });
    expect(error.exitCode).toBe(1);
  });

  it("names the line of bad bytes far into the file", async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i},v`).join("\n");
    const bytes = Buffer.concat([
      Buffer.from(`a,b\n${rows}\n9,`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from("\n"),
    ]);

    const error = await failure(bytes);

    expect(error.location.line).toBe(200_002);
  });

  it("refuses a field over 16 MiB", async () => {
    const error = await failure(`a,b\n1,2\n3,"${"x".repeat(17 * (1 << 20))}"\n`);

    expect(error.message).toMatch(/longer than 16777216 characters/);
    expect(error.location).toEqual({ file: "d.csv", line: 3 });
    expect(error.exitCode).toBe(1);
  });

  it("stops between batches when the signal aborts", async () => {
    const dir = tempDir({ "d.csv": `a\n${"1\n".repeat(10)}` });
    const source = await openOne(join(dir, "d.csv"));
    const controller = new AbortController();
    controller.abort();

    const result = collect(source, 2);
    const consume = (async () => {
      for await (const _ of source.batches({ signal: controller.signal })) return "read";
      return "none";
    })();

    await expect(consume).rejects.toThrow();
    expect((await result).length).toBe(5);
  });
});
