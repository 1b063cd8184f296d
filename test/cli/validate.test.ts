import { describe, expect, test } from "vitest";
import { commands } from "../../cli/commands/index.js";
import { cli, project } from "../helpers/cli.js";

const header = "id,age,plan,churned";
const good = `${header}\n1,31,basic,no\n2,45,pro,yes\n3,27,basic,no\n`;
const schema = [
  "columns:",
  "  id: { type: integer, unique: true }",
  "  age: { type: integer, min: 0, max: 120, nullable: false }",
  "  plan: { type: category, values: [basic, pro] }",
  "  churned: { type: category, values: [yes, no] }",
  "",
].join("\n");
const config =
  "version: 1\nname: t\ndata:\n  train: data.csv\n  target: churned\n  id: id\n  schema: schema.yml\n";

describe("modelgate validate", () => {
  test("valid data exits 0 and prints the contract's result shape", async () => {
    const dir = await project({ "data.csv": good, "schema.yml": schema, "modelgate.yml": config });

    const result = await cli(["validate", "--json"], dir);

    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: true, rows: 3, columns: 4, errors: [], warnings: [] });
    expect(json.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(json.profile.columns)).toEqual(["id", "age", "plan", "churned"]);
  });

  test("every kind of fault is reported at its file line; exit 1", async () => {
    const data = [
      header,
      "1,31,basic,no",
      "2,130,basic,yes", // line 3: above max
      "3,abc,pro,no", // line 4: not an integer
      "4,40,gold,no", // line 5: not an allowed value
      "5,Inf,pro,yes", // line 6: not a finite number
      "6,22,pro", // line 7: ragged
      "1,50,pro,yes", // line 8: id repeats line 2
      "8,,basic,", // line 9: null age, null target
    ].join("\n");
    const dir = await project({ "data.csv": data, "schema.yml": schema, "modelgate.yml": config });

    const result = await cli(["validate", "--json"], dir);

    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    const at = Object.fromEntries(
      json.errors.map((e: { check: string; lines: number[] }) => [e.check, e.lines]),
    );
    expect(at).toMatchObject({
      max: [3],
      type: [4, 6],
      values: [5],
      ragged_row: [7],
      unique: [8],
      null: [9],
      target_null: [9],
    });
    const nan = json.errors.find((e: { check: string }) => e.check === "type");
    expect(nan.message).toContain("line 4");
  });

  test("--max-errors caps the lines listed but not the count", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i + 1},200,basic,no`);
    const dir = await project({
      "data.csv": [header, ...rows].join("\n"),
      "schema.yml": schema,
      "modelgate.yml": config,
    });

    const result = await cli(["validate", "--json", "--max-errors", "5"], dir);

    const max = JSON.parse(result.stdout).errors.find((e: { check: string }) => e.check === "max");
    expect(max.lines).toEqual([2, 3, 4, 5, 6]);
    expect(max.count).toBe(30);
  });

  test("BOM and CRLF files validate like plain ones", async () => {
    const crlf = `\uFEFF${good.replace(/\n/g, "\r\n")}`;
    const dir = await project({ "data.csv": crlf, "schema.yml": schema, "modelgate.yml": config });

    const result = await cli(["validate", "--json"], dir);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).rows).toBe(3);
  });

  test("a 1 MB field is read whole", async () => {
    const big = "x".repeat(1 << 20);
    const dir = await project({ "data.csv": `a,b\n"${big}",1\n` });

    const result = await cli(["validate", "--json", "--data", "data.csv"], dir);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).rows).toBe(1);
  });

  test.each([
    ["an empty file", "", /empty file/, 1],
    ["non-UTF-8 bytes", Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a]), /UTF-8/, 1],
    ["an unterminated quote", 'a,b\n"open,1\n', /quote/, 1],
  ] as const)(
    "%s ends in a clear message naming the file, exit %s",
    async (_name, content, message, code) => {
      const dir = await project({ "data.csv": content });

      const result = await cli(["validate", "--data", "data.csv"], dir);

      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain("data.csv");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );

  test("a header-only file fails the rows check", async () => {
    const dir = await project({ "data.csv": `${header}\n`, "schema.yml": schema, "modelgate.yml": config });

    const result = await cli(["validate", "--json"], dir);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).errors.map((e: { check: string }) => e.check)).toContain("rows");
  });

  test.each([
    ["a missing file", ["validate", "--data", "nope.csv"], /nope\.csv.*no such file/],
    ["a directory instead of a file", ["validate", "--data", "sub"], /sub.*directory/],
    ["an unknown flag", ["validate", "--colour"], /--colour/],
    [
      "a bad --max-errors",
      ["validate", "--data", "x.csv", "--max-errors", "lots"],
      /--max-errors.*whole number/,
    ],
  ])("%s is a usage error (exit 2) naming it", async (_name, args, message) => {
    const dir = await project({ "sub/keep": "" });

    const result = await cli(args, dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("an unknown config key names file, line and field (exit 2)", async () => {
    const dir = await project({ "modelgate.yml": `${config}colour: blue\n`, "data.csv": good });

    const result = await cli(["validate"], dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("modelgate.yml:8:1: colour: unknown key 'colour'");
  });
});

describe("modelgate (top level)", () => {
  test("--help lists every command", async () => {
    const result = await cli(["--help"], process.cwd());

    expect(result.code).toBe(0);
    for (const name of ["validate", "schema", "profile", "diff", "run"])
      expect(result.stdout).toContain(`  ${name}`);
  });

  test("an unknown command exits 2", async () => {
    const result = await cli(["frobnicate"], process.cwd());

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  test("a bug exits 3 with its stack and where to report it", async () => {
    commands.set("explode", {
      name: "explode",
      summary: "test only",
      usage: "explode",
      flags: {},
      run: async () => {
        throw new TypeError("boom");
      },
    });

    const result = await cli(["explode"], process.cwd()).finally(() => commands.delete("explode"));

    expect(result.code).toBe(3);
    expect(result.stderr).toContain("this is a bug in modelgate");
    expect(result.stderr).toContain("TypeError: boom");
  });
});
