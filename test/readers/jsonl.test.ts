import { describe, expect, it } from "vitest";
import { toCell } from "../../core/data/readers/parquet.js";
import { openOne } from "../../core/data/source.js";
import { UserError } from "../../core/errors.js";
import { rowsOf, tempDir } from "./helpers.js";

async function read(content: string | Uint8Array, file = "d.jsonl") {
  const dir = tempDir({ [file]: content });
  return rowsOf(await openOne(file, { cwd: dir }));
}

describe("JSON Lines reader", () => {
  it("takes the union of keys as the header, missing keys as null, nested values as JSON", async () => {
    const table = await read('{"a":1,"b":"x"}\n\n{"c":true,"a":2}\n{"a":null,"b":{"k":[1,2]},"c":false}\n');

    expect(table.columns).toEqual(["a", "b", "c"]);
    expect(table.rows).toEqual([
      [1, "x", null],
      [2, null, true],
      [null, '{"k":[1,2]}', false],
    ]);
    expect(table.lines).toEqual([1, 3, 4]);
  });

  it("puts bad JSON, non-objects and unknown keys in ragged with a reason", async () => {
    const header = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ a: i })).join("\n");

    const table = await read(`${header}\n{"a":1,"zzz":2}\n[1,2]\n{"a":\n42\r\n{"a":5}\r\n`);

    expect(table.rows.length).toBe(1001);
    expect(table.lines.at(-1)).toBe(1005);
    expect(table.ragged.map((r) => [r.line, r.cells])).toEqual([
      [1001, 2],
      [1002, 2],
      [1003, 0],
      [1004, 1],
    ]);
    expect(table.ragged.map((r) => r.reason)).toEqual([
      expect.stringMatching(/key 'zzz' is not in the header/),
      "expected a JSON object, found an array",
      expect.stringMatching(/^invalid JSON: /),
      "expected a JSON object, found a number",
    ]);
  });

  it("reads .ndjson and .json files too", async () => {
    const nd = await read('{"a":1}\n', "d.ndjson");
    const json = await read('{"a":1}\n', "d.json");

    expect(nd.rows).toEqual([[1]]);
    expect(json.rows).toEqual([[1]]);
  });

  it("refuses an empty file with exit code 1", async () => {
    const dir = tempDir({ "d.jsonl": "\n  \n" });

    const error = await openOne("d.jsonl", { cwd: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ exitCode: 1, location: { file: "d.jsonl" }, message: /empty file/ });
  });

  it("refuses a file without any JSON object, such as a JSON array document", async () => {
    const dir = tempDir({ "d.jsonl": '[{"a": 1}, {"a": 2}]\n' });

    const error = await openOne("d.jsonl", { cwd: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ exitCode: 1, message: /expected JSON Lines/ });
  });

  it("names the line of bytes that are not UTF-8", async () => {
    const dir = tempDir({
      "d.jsonl": Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), Buffer.from([0xff, 0x22, 0x7d])]),
    });
    const source = await openOne("d.jsonl", { cwd: dir }).catch((e: unknown) => e);

    expect(source).toBeInstanceOf(UserError);
    expect(source).toMatchObject({ exitCode: 1, location: { file: "d.jsonl", line: 2 } });
  });
});

describe("Parquet values", () => {
  it.each([
    [10n, 10],
    [2n ** 60n, "1152921504606846976"],
    [new Date("2024-01-02T03:04:05Z"), "2024-01-02T03:04:05.000Z"],
    [new TextEncoder().encode("bytes"), "bytes"],
    [{ n: 1n, l: [1] }, '{"n":"1","l":[1]}'],
    [undefined, null],
    ["s", "s"],
    [false, false],
  ])("turns %s into %j", (value, cell) => {
    expect(toCell(value)).toEqual(cell);
  });
});
