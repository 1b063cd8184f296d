import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

describe("a .json data file is one JSON array of records (modelgate validate, as a user runs it)", () => {
  it("refuses two arrays one after the other (exit 2), naming the file, line and column", async () => {
    const dir = await tempDir("mg-json-");
    await writeFile(path.join(dir, "two.json"), '[{"a": 1}, {"a": 2}]\n  [{"a": 3}]\n');

    const run = await cliProcess(["validate", "--data", "two.json"], dir);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "modelgate validate: two.json:2: text after the JSON array's closing ']' at column 3 (a second array or value?); expected one JSON array of records, or JSON Lines\n",
    );
  });

  it("refuses an empty element (two commas, or a comma before ']') as invalid JSON, naming where", async () => {
    const dir = await tempDir("mg-json-");
    await writeFile(path.join(dir, "holes.json"), '[\n{"a": 1},\n,{"a": 2}]\n');
    await writeFile(path.join(dir, "trailing.json"), '[{"a": 1},\n{"a": 2},\n]\n');

    const holes = await cliProcess(["validate", "--data", "holes.json"], dir);
    const trailing = await cliProcess(["validate", "--data", "trailing.json"], dir);

    expect(holes.code).toBe(1);
    expect(holes.stderr).toContain(
      "holes.json:3: invalid JSON: an empty element at column 1 (two commas, or a comma before ']')",
    );
    expect(trailing.code).toBe(1);
    expect(trailing.stderr).toContain("trailing.json:3: invalid JSON: an empty element at column 1");
  });

  it("still reads one array followed by whitespace", async () => {
    const dir = await tempDir("mg-json-");
    await writeFile(path.join(dir, "one.json"), '[{"a": 1}, {"a": 2}, {"a": 3}]\n\n  \n');

    const run = await cliProcess(["validate", "--data", "one.json", "--json"], dir);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, rows: 3 });
  });
});
