import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ModelManifest, transformRecords } from "../../core/model/index.js";
import { cli, project } from "../helpers/cli.js";

/** 60 rows; `x` and `n` are numbers with NA, N/A and null cells (rows 3, 7 and 11 of every 12). */
function data(): { csv: string; missing: number } {
  const lines = ["x,n,y"];
  let missing = 0;
  for (let i = 0; i < 60; i++) {
    const token = i % 12 === 3 ? "NA" : i % 12 === 7 ? "N/A" : i % 12 === 11 ? "null" : undefined;
    if (token) missing++;
    lines.push(`${token ?? (i * 1.5).toFixed(1)},${token ?? i % 9},${i % 2 === 0 ? "a" : "b"}`);
  }
  return { csv: `${lines.join("\n")}\n`, missing };
}

const config =
  "version: 1\nname: m\ndata:\n  train: d.csv\n  target: y\nmodel:\n  hidden: [4]\n  epochs: 2\n";

describe("NA, N/A and null are missing in every command", () => {
  it("schema infer types the columns as numbers", async () => {
    const dir = await project({ "d.csv": data().csv });

    const result = await cli(["schema", "infer", "d.csv", "--json"], dir);

    const schema = JSON.parse(result.stdout);
    expect({
      x: schema.columns.x.type,
      n: schema.columns.n.type,
      nullable: schema.columns.x.nullable,
    }).toEqual({
      x: "number",
      n: "integer",
      nullable: true,
    });
  });

  it("validate (with the inferred schema and without one) and profile count the same missing cells", async () => {
    const { csv, missing } = data();
    const dir = await project({ "d.csv": csv });
    await cli(["schema", "infer", "d.csv", "--out", "s.yml"], dir);

    const withSchema = JSON.parse(
      (await cli(["validate", "--data", "d.csv", "--schema", "s.yml", "--json"], dir)).stdout,
    );
    const without = JSON.parse((await cli(["validate", "--data", "d.csv", "--json"], dir)).stdout);
    const profile = JSON.parse((await cli(["profile", "d.csv", "--json"], dir)).stdout);

    expect(missing).toBe(15);
    expect([withSchema.ok, without.ok]).toEqual([true, true]);
    expect([
      withSchema.profile.columns.x.missing,
      without.profile.columns.x.missing,
      profile.columns.x.missing,
    ]).toEqual([missing, missing, missing]);
    expect(profile.columns.x.kind).toBe("numeric");
  });

  it("training imputes them (a missing indicator) and serving reads NA, N/A and null alike", async () => {
    const dir = await project({ "d.csv": data().csv, "modelgate.yml": config });

    const trained = await cli(["train", "--out", "model"], dir);

    expect(trained.code).toBe(0);
    const manifest = ModelManifest.parse(
      JSON.parse(await readFile(path.join(dir, "model", "modelgate.json"), "utf8")),
    );
    const x = manifest.preprocessor.features.find((f) => f.name === "x")!;
    expect(x).toMatchObject({ kind: "numeric", missingIndicator: true });
    const encoded = ["NA", "N/A", "null", null].map((value) =>
      Array.from(transformRecords(manifest.preprocessor, [{ x: value, n: 1 }])),
    );
    expect(encoded.every((row) => JSON.stringify(row) === JSON.stringify(encoded[3]))).toBe(true);
    // The indicator that follows x's value is 1: the cell was missing.
    expect(encoded[0]![1]).toBe(1);
    expect(await readdir(path.join(dir, "model"))).toContain("modelgate.json");
  });

  it("data.missing replaces the list everywhere: '-' becomes missing, NA becomes a type change", async () => {
    const dir = await project({
      "d.csv": "x,y\n1,a\n-,b\n3,a\n4,b\n",
      "modelgate.yml": "version: 1\nname: m\ndata:\n  train: d.csv\n  target: y\n  missing: ['-']\n",
      "e.csv": "x,y\n1,a\nNA,b\n3,a\n4,b\n",
    });

    const dash = JSON.parse((await cli(["validate", "--data", "d.csv", "--json"], dir)).stdout);
    const na = await cli(["validate", "--data", "e.csv", "--json"], dir);

    expect(dash.profile.columns.x).toMatchObject({ missing: 1, kind: "numeric" });
    expect(na.code).toBe(1);
    expect(
      JSON.parse(na.stdout).errors.map((e: { check: string; lines: number[] }) => [e.check, e.lines]),
    ).toEqual([["type_change", [3]]]);
  });
});
