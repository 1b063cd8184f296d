import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataSchema, parseDataSchema } from "../../core/data-schema/index.js";
import { UserError } from "../../core/errors.js";
import { tempDir } from "../helpers/temp.js";

const contractExample = `rows: { min: 100 }
columns:
  age:      { type: integer, min: 0, max: 120, nullable: false }
  income:   { type: number, min: 0, nullable: true, mostly: 0.99 }
  country:  { type: category, values: [DE, FR, US] }
  email:    { type: string, pattern: "^.+@.+$" }
  id:       { type: string, unique: true }
`;

function errorOf(work: () => unknown): UserError {
  try {
    work();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("parseDataSchema", () => {
  it("reads the README example and fills in defaults", () => {
    const schema = parseDataSchema(contractExample, "schemas/data.yml");

    expect(schema.rows).toEqual({ min: 100, duplicates: "warning" });
    expect(schema.additionalColumns).toBe(false);
    expect(schema.columns.age).toEqual({
      type: "integer",
      min: 0,
      max: 120,
      nullable: false,
      mostly: 1,
      unique: false,
    });
    expect(schema.columns.id).toMatchObject({ type: "string", unique: true, nullable: true });
  });

  it("accepts JSON", () => {
    const schema = parseDataSchema('{"columns": {"a": {"type": "boolean"}}}', "s.json");

    expect(schema.columns.a?.type).toBe("boolean");
  });

  it("names file, line and field for an unknown key", () => {
    const text = contractExample.replace("max: 120", "maximum: 120");

    const error = errorOf(() => parseDataSchema(text, "schemas/data.yml"));

    expect(error.location).toMatchObject({ file: "schemas/data.yml", line: 3, field: "columns.age.maximum" });
    expect(error.message).toBe("unknown key 'maximum'");
  });

  it("names file, line and field for a value of the wrong type", () => {
    const text = contractExample.replace("mostly: 0.99", 'mostly: "most"');

    const error = errorOf(() => parseDataSchema(text, "schemas/data.yml"));

    expect(error.location).toMatchObject({
      file: "schemas/data.yml",
      line: 4,
      field: "columns.income.mostly",
    });
    expect(error.message).toBe('expected number, found string "most"');
  });

  it.each([
    ["{ type: integer, values: [1] }", "columns.x.values", "values applies to category columns, not integer"],
    [
      "{ type: string, min: 1 }",
      "columns.x.min",
      "min applies to integer, number and datetime columns, not string",
    ],
    [
      "{ type: datetime, min: yesterday }",
      "columns.x.min",
      'expected an ISO-8601 date such as 2024-01-31, found "yesterday"',
    ],
    ["{ type: string, pattern: '(' }", "columns.x.pattern", "not a valid regular expression"],
    ["{ type: number, min: 5, max: 1 }", "columns.x.max", "max 1 is below min 5"],
    ["{ type: decimal }", "columns.x.type", 'expected "integer" or "number" or "boolean"'],
    ["{ type: decimal }", "columns.x.type", 'found string "decimal"'],
  ])("rejects %s naming the field", (spec, field, message) => {
    const error = errorOf(() => parseDataSchema(`columns:\n  x: ${spec}\n`, "s.yml"));

    expect(error.location).toMatchObject({ file: "s.yml", line: 2, field });
    expect(error.message).toContain(message);
  });

  it("rejects unknown top-level keys", () => {
    const error = errorOf(() => parseDataSchema("columns: {}\nextraColumns: true\n", "s.yml"));

    expect(error.location).toMatchObject({ line: 2, field: "extraColumns" });
  });
});

describe("loadDataSchema", () => {
  it("reads a file relative to cwd and names it as given", async () => {
    const dir = await tempDir("schema-");
    await writeFile(path.join(dir, "data.yml"), contractExample);

    const schema = await loadDataSchema("data.yml", dir);

    expect(Object.keys(schema.columns)).toEqual(["age", "income", "country", "email", "id"]);
  });

  it("says when the file does not exist", async () => {
    const dir = await tempDir("schema-");

    await expect(loadDataSchema("nope.yml", dir)).rejects.toMatchObject({
      message: "no such file",
      location: { file: "nope.yml" },
    });
  });
});
