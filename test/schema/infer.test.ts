import { describe, expect, it } from "vitest";
import type { Cell } from "../../core/data/types.js";
import {
  inferSchema,
  parseDataSchema,
  renderSchemaYaml,
  SchemaInferrer,
} from "../../core/data-schema/index.js";
import { Validator } from "../../core/validate/index.js";
import { batchesOf, batchOf, sourceOf } from "../validate/helpers.js";

const header = ["id", "age", "income", "active", "joined", "plan", "note", "churned", "empty"];

/** 200 rows: an id, integers with a gap, decimals, booleans, dates, 3 plans, free text, a label. */
function rows(): Cell[][] {
  return Array.from({ length: 200 }, (_, i): Cell[] => [
    `c${i}`,
    i === 5 ? "" : String(18 + (i % 60)),
    `${(i * 37) % 1000}.5`,
    i % 2 ? "yes" : "no",
    `2024-01-${String(1 + (i % 28)).padStart(2, "0")}`,
    ["basic", "pro", "team"][i % 3]!,
    `note number ${i}`,
    i % 4 === 0 ? "1" : "0",
    "",
  ]);
}

describe("inferSchema", () => {
  it("infers types, bounds, categories, nullability and the id's uniqueness from a mixed table", async () => {
    const source = sourceOf("d.csv", header, batchesOf(rows(), 64));

    const schema = await inferSchema([source], { target: "churned", id: "id" });

    expect(schema).toEqual({
      rows: { min: 1, duplicates: "warning" },
      additionalColumns: false,
      columns: {
        id: { type: "string", nullable: false, mostly: 1, unique: true },
        age: { type: "integer", min: 18, max: 77, nullable: true, mostly: 1, unique: false },
        income: { type: "number", min: 0.5, max: 999.5, nullable: false, mostly: 1, unique: false },
        active: { type: "boolean", nullable: false, mostly: 1, unique: false },
        joined: { type: "datetime", nullable: false, mostly: 1, unique: false },
        plan: {
          type: "category",
          values: ["basic", "pro", "team"],
          nullable: false,
          mostly: 1,
          unique: false,
        },
        note: { type: "string", nullable: false, mostly: 1, unique: false },
        churned: { type: "category", values: ["0", "1"], nullable: false, mostly: 1, unique: false },
        empty: { type: "string", nullable: true, mostly: 1, unique: false },
      },
    });
  });

  it("keeps a numeric target numeric for regression", () => {
    const inferrer = new SchemaInferrer({ target: "y", task: "regression" });

    inferrer.add(["y"], batchOf([["1"], ["2"], ["1"]]));

    expect(inferrer.finish().columns.y).toMatchObject({ type: "integer", min: 1, max: 2 });
  });

  it("does not call a few distinct words in a short table categories", () => {
    const inferrer = new SchemaInferrer();

    inferrer.add(["w"], batchOf([["a"], ["b"], ["a"], ["c"]]));

    expect(inferrer.finish().columns.w?.type).toBe("string");
  });

  it("infers a schema the data it came from passes", async () => {
    const batches = batchesOf(rows(), 64);
    const schema = await inferSchema([sourceOf("d.csv", header, batches)], { target: "churned", id: "id" });
    const validator = new Validator(schema, header, { target: "churned", id: "id" });

    for (const batch of batches) validator.add(batch);

    expect(validator.finish({ fingerprint: "", file: "d.csv" })).toMatchObject({ ok: true, errors: [] });
  });
});

describe("renderSchemaYaml", () => {
  it("writes YAML with a header comment that parses back to the same schema", async () => {
    const schema = await inferSchema([sourceOf("d.csv", header, batchesOf(rows(), 64))], { id: "id" });

    const text = renderSchemaYaml(schema, { header: ["inferred from d.csv"] });

    expect(text.startsWith("# inferred from d.csv\n")).toBe(true);
    expect(text).toContain("  age: { type: integer, min: 18, max: 77 }\n");
    expect(parseDataSchema(text, "out.yml")).toEqual(schema);
  });
});
