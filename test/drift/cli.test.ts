import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { driftCommand } from "../../cli/commands/drift.js";
import type { Context, Flags } from "../../cli/context.js";
import { describeError } from "../../core/errors.js";
import { silentLogger } from "../../core/ports.js";
import { project } from "../helpers/cli.js";
import { normals } from "./helpers.js";
import { labelsCsv, modelFolder, predictionLog } from "./model-fixture.js";

// The lead registers the command in cli/commands/index.ts; until then it is run directly.
async function drift(flags: Flags, cwd: string, json = true) {
  let stdout = "";
  const ctx: Context = {
    io: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env: {}, cwd },
    logger: silentLogger,
    json,
    configFile: undefined,
  };
  try {
    const code = await driftCommand.run([], flags, ctx);
    return { code, stdout };
  } catch (error) {
    return { ...describeError(error), code: describeError(error).exitCode, stdout };
  }
}

const csv = (name: string, values: number[]) => `${name}\n${values.map((v) => v.toFixed(4)).join("\n")}\n`;

describe("modelgate drift", () => {
  test("exit 1 on dataset drift, 0 without; the JSON result follows the contract", async () => {
    const cwd = await project({
      "ref.csv": csv("x", normals(500, 1)),
      "same.csv": csv("x", normals(500, 2)),
      "moved.csv": csv("x", normals(500, 3, 1)),
    });

    const quiet = await drift({ reference: "ref.csv", current: "same.csv" }, cwd);
    const loud = await drift({ reference: "ref.csv", current: "moved.csv", out: "drift.json" }, cwd);

    expect([quiet.code, loud.code]).toEqual([0, 1]);
    const result = JSON.parse(loud.stdout);
    expect(result).toMatchObject({
      drift: true,
      share: 1,
      columns: [{ column: "x", method: "ks", drift: true, threshold: 0.05 }],
    });
    expect(result.columns[0].pValue).toBeLessThan(1e-10);
    expect(typeof result.columns[0].effectSize).toBe("number");
  });

  test("the config's data.missing reads a sentinel as missing on both sides, not as a value that drifted", async () => {
    // The current side has a fifth of its cells replaced by the sentinel -999; the rest is the same distribution.
    const current = normals(1000, 2).map((v, i) => (i % 5 === 0 ? "-999" : v.toFixed(4)));
    const files = {
      "ref.csv": csv("x", normals(1000, 1)),
      "cur.csv": `x\n${current.join("\n")}\n`,
    };
    const plain = await project({
      ...files,
      "modelgate.yml": "version: 1\nname: demo\ndata: { train: ref.csv, target: y }\n",
    });
    const sentinel = await project({
      ...files,
      "modelgate.yml": "version: 1\nname: demo\ndata: { train: ref.csv, target: y, missing: ['-999'] }\n",
    });

    const asValue = await drift({ reference: "ref.csv", current: "cur.csv", method: "ks" }, plain);
    const asMissing = await drift({ reference: "ref.csv", current: "cur.csv", method: "ks" }, sentinel);

    expect(asValue.code).toBe(1);
    expect(JSON.parse(asValue.stdout).columns[0]).toMatchObject({ column: "x", drift: true });
    expect(asMissing.code).toBe(0);
    expect(JSON.parse(asMissing.stdout).columns[0]).toMatchObject({ column: "x", drift: false });
  });

  test("defaults from the config's drift: block; flags override them", async () => {
    const cwd = await project({
      "modelgate.yml":
        "version: 1\nname: demo\ndata: { train: ref.csv, target: y }\ndrift: { reference: ref.csv, current: moved.csv, method: psi }\n",
      "ref.csv": csv("x", normals(2000, 1)),
      "moved.csv": csv("x", normals(2000, 3, 1)),
    });

    const fromConfig = await drift({}, cwd);
    const overridden = await drift({ method: "wasserstein" }, cwd);

    expect(JSON.parse(fromConfig.stdout).columns[0].method).toBe("psi");
    expect(JSON.parse(overridden.stdout).columns[0].method).toBe("wasserstein");
  });

  test("usage errors exit 2 and name the flag", async () => {
    const cwd = await project({ "ref.csv": csv("x", [1, 2, 3]) });

    const badMethod = await drift({ reference: "ref.csv", current: "ref.csv", method: "magic" }, cwd);
    const badThreshold = await drift({ reference: "ref.csv", current: "ref.csv", threshold: "2" }, cwd);
    const noCurrent = await drift({ reference: "ref.csv" }, cwd);

    expect([badMethod.code, badThreshold.code, noCurrent.code]).toEqual([2, 2, 2]);
    expect("message" in badMethod && badMethod.message).toMatch(/^--method: unknown method 'magic'/);
    expect("message" in noCurrent && noCurrent.message).toMatch(/^--current: missing --current/);
  });

  test("--model with --log and --labels: text output names prediction drift and live performance", async () => {
    const model = await modelFolder();
    const cwd = path.dirname(model);
    const log = predictionLog({ rows: 500, seed: 4, accuracy: 0.5 });
    await writeFile(path.join(cwd, "log.jsonl"), log.jsonl);
    await writeFile(path.join(cwd, "labels.csv"), labelsCsv(log.truth, 400, 3));
    await writeFile(
      path.join(cwd, "modelgate.yml"),
      "version: 1\nname: churn\ndata: { train: t.csv, target: churned }\ngates:\n  - { metric: accuracy, min: 0.8 }\n",
    );

    const run = await drift({ model: "model", log: "log.jsonl", labels: "labels.csv" }, cwd, false);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "live performance: DEGRADED on 400 labelled rows joined by 'requestId' (3 label ids not in the log, 100 rows unlabelled)",
    );
    expect(run.stdout).toMatch(/prediction drift: (yes|no)/);
  });
});
