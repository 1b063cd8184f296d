import { describe, expect, test } from "vitest";
import { annotations, runAction } from "../helpers/action.js";
import { project } from "../helpers/cli.js";

const schema =
  "columns:\n  id: { type: integer }\n  age: { type: integer, max: 120 }\n  y: { type: category, values: [a, b] }\n";
const config = "version: 1\nname: t\ndata:\n  train: data/train.csv\n  target: y\n  schema: schema.yml\n";

describe("actions/validate (dist/validate.js, run as the runner runs it)", () => {
  test("valid data: outputs, a job summary, exit 0", async () => {
    const workspace = await project({
      "modelgate.yml": config,
      "schema.yml": schema,
      "data/train.csv": "id,age,y\n1,30,a\n2,40,b\n",
    });

    const run = await runAction("validate", {}, { workspace });

    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ passed: "true", errors: "0", rows: "2" });
    expect(run.outputs.fingerprint).toMatch(/^sha256:/);
    expect(run.summary).toContain("✅ **Data valid**");
  });

  test("bad rows: annotations at file:line (at most 10), every problem in the summary, exit 1", async () => {
    const rows = Array.from({ length: 15 }, (_, i) => `${i + 1},${200 + i},a`);
    const workspace = await project({
      "modelgate.yml": config,
      "schema.yml": schema,
      "data/train.csv": ["id,age,y", ...rows, "16,20,c"].join("\n"),
    });

    const run = await runAction("validate", { "max-errors": "20" }, { workspace });

    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ passed: "false", errors: "16" });
    const errors = annotations(run.stdout).filter((a) => a.level === "error" && a.line !== undefined);
    expect(errors).toHaveLength(10);
    expect(errors[0]).toMatchObject({ file: "data/train.csv", line: 2 });
    expect(run.summary).toContain("| max");
    expect(run.summary).toContain("| values");
    expect(run.summary).toContain("17");
  });

  test("the root action dispatches on `command`; an unknown one is a usage error", async () => {
    const workspace = await project({
      "modelgate.yml": config,
      "schema.yml": schema,
      "data/train.csv": "id,age,y\n1,1,a\n",
    });

    const ok = await runAction("action", { command: "validate" }, { workspace });
    const bad = await runAction("action", { command: "frobnicate" }, { workspace });

    expect(ok.code).toBe(0);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("unknown command 'frobnicate'");
  });

  test("a broken config fails with exit 2 and an annotation on the config file", async () => {
    const workspace = await project({ "modelgate.yml": `${config}bogus: 1\n` });

    const run = await runAction("validate", {}, { workspace });

    expect(run.code).toBe(2);
    expect(annotations(run.stdout)).toContainEqual(
      expect.objectContaining({ level: "error", file: "modelgate.yml", line: 7 }),
    );
  });
});
