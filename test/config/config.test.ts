import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { loadConfig, parseConfig } from "../../core/config/index.js";
import { UserError } from "../../core/errors.js";
import { jsonSchemas } from "../../schemas/generate.js";
import { tempDir } from "../helpers/temp.js";

const minimal = "version: 1\nname: churn\ndata:\n  train: data/train.csv\n  target: churned\n";

function failure(text: string): UserError {
  try {
    parseConfig(text, "modelgate.yml");
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("parseConfig", () => {
  test("fills the documented defaults", () => {
    const config = parseConfig(minimal);

    expect(config.model).toMatchObject({
      hidden: [64, 32],
      learningRate: 0.002,
      earlyStopping: { patience: 10 },
      backend: "auto",
    });
    // Resolved at training from the data's size (trainingLength): 50, or enough for 1,000 steps.
    expect(config.model.epochs).toBeUndefined();
    expect(config.data.split).toEqual({ test: 0.2, seed: 42, stratify: true });
    expect(config.significance).toBe(0.05);
    expect(config.github.workflows.retrain).toBe("modelgate.yml");
  });

  test("reads the contract's full example", async () => {
    const text = await readFile(new URL("../../examples/churn/modelgate.yml", import.meta.url), "utf8");

    const config = parseConfig(text);

    expect(config.gates).toEqual([
      { metric: "accuracy", min: 0.7 },
      { metric: "f1_macro", maxDrop: 0.02 },
    ]);
    expect(config.model.earlyStopping).toEqual({ patience: 5 });
  });

  test("earlyStopping: false turns it off", () => {
    const config = parseConfig(`${minimal}model:\n  earlyStopping: false\n`);

    expect(config.model.earlyStopping).toBe(false);
  });

  test("an unknown key names the file, line and field", () => {
    const error = failure(`${minimal}model:\n  epochs: 5\n  epochz: 5\n`);

    expect(error.location).toMatchObject({ file: "modelgate.yml", line: 8, field: "model.epochz" });
    expect(error.message).toContain("unknown key 'epochz'");
  });

  test("a wrong type says what was found and what was expected", () => {
    const error = failure(`${minimal}model:\n  epochs: many\n`);

    expect(error.location).toMatchObject({ line: 7, field: "model.epochs" });
    expect(error.message).toBe('expected number, found string "many"');
  });

  test("a missing required field is named", () => {
    const error = failure("version: 1\nname: churn\ndata:\n  train: a.csv\n");

    expect(error.location.field).toBe("data.target");
  });

  test("a gate of no known rule is refused", () => {
    const error = failure(`${minimal}gates:\n  - { metric: accuracy, atLeast: 0.9 }\n`);

    expect(error.location).toMatchObject({ field: "gates.0", line: 7 });
  });

  test("broken YAML names the line", () => {
    const error = failure("version: 1\nname: [unclosed\n");

    expect(error.message).toMatch(/^invalid YAML/);
    expect(error.location.line).toBeGreaterThanOrEqual(2);
  });

  test("the target cannot be a feature", () => {
    const error = failure(`${minimal}  features: [age, churned]\n`);

    expect(error.location.field).toBe("data.features");
  });
});

describe("loadConfig", () => {
  test("a missing file says how to create one", async () => {
    const dir = await tempDir("mg-config-");

    await expect(loadConfig("modelgate.yml", dir)).rejects.toThrow(/no config file/);
  });

  test("a directory instead of a file is named", async () => {
    const dir = await tempDir("mg-config-");

    await expect(loadConfig(".", dir)).rejects.toThrow(/is a directory/);
  });

  test("resolves relative paths against the config's folder", async () => {
    const dir = await tempDir("mg-config-");
    await writeFile(path.join(dir, "modelgate.yml"), minimal);

    const loaded = await loadConfig("modelgate.yml", dir);

    expect(loaded.root).toBe(dir);
    expect(loaded.config.name).toBe("churn");
  });
});

test("the JSON Schemas in schemas/ are generated from the zod schemas and not stale", async () => {
  for (const [file, text] of Object.entries(jsonSchemas())) {
    const committed = await readFile(new URL(`../../schemas/${file}`, import.meta.url), "utf8");

    expect(committed, `schemas/${file} is stale: run npm run schemas`).toBe(text);
  }
});

test("docs/ references are generated from the schemas and the CLI's help and not stale", async () => {
  const { generatedDocs } = await import("../../scripts/docs.js");

  for (const [file, text] of Object.entries(await generatedDocs())) {
    const committed = await readFile(new URL(`../../docs/${file}`, import.meta.url), "utf8");

    expect(committed, `docs/${file} is stale: run npm run docs`).toBe(text);
  }
});
