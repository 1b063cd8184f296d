import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { churnCsv, modelgate, project, start, tree } from "./helpers.js";

// Subprocesses on dist/ (npm run build): exit codes, signals and leftovers are what a user sees.
const config = (model: string, target = "churned", train = "train.csv") =>
  `version: 1\nname: churn\ndata: { train: ${train}, target: ${target} }\nmodel: { backend: wasm, ${model} }\n`;

/** What a failed run may leave: the project's own files, nothing that looks like a model. */
const untouched = ["modelgate.yml", "train.csv"];

describe("training without silent failures", () => {
  it("stops a diverging run with exit 2 naming model.learningRate, and writes no model", async () => {
    const dir = await project(config("optimizer: sgd, learningRate: 5, epochs: 20", "charges"), {
      "train.csv": churnCsv(),
    });

    const result = await modelgate(["train", "--out", "model"], dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /modelgate train: model\.learningRate: training diverged: the training loss became non-finite at epoch \d+; model\.learningRate 5 is too large for this data; try model\.learningRate: 0\.01 \(no model was written\)\n$/,
    );
    expect(result.stderr).not.toContain("internal error");
    expect(await tree(dir)).toEqual(untouched);
  });

  it("refuses an extreme value with exit 1 naming the column and the file line", async () => {
    const csv = churnCsv(300, (cells, row) => {
      if (row === 41) cells[2] = "1e300";
    });
    const dir = await project(config("epochs: 3"), { "train.csv": csv });

    const result = await modelgate(["train", "--out", "model"], dir);
    const defaultOut = await modelgate(["train"], dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'modelgate train: train.csv:43: charges: column "charges" holds 1e300 at line 43, too large to train on',
    );
    expect(defaultOut.code).toBe(1);
    expect(await tree(dir)).toEqual(untouched);
  });

  it("names the file of a glob and its line for an extreme value", async () => {
    const dir = await project(config("epochs: 3", "churned", "parts/*.csv"));
    const csv = churnCsv(200).trimEnd().split("\n");
    await mkdir(path.join(dir, "parts"));
    await writeFile(path.join(dir, "parts", "a.csv"), `${csv.slice(0, 101).join("\n")}\n`);
    const second = [csv[0]!, ...csv.slice(101)];
    second[5] = second[5]!.replace(/^(\d+),(\w+),[^,]+,/, "$1,$2,-1e300,");
    await writeFile(path.join(dir, "parts", "b.csv"), `${second.join("\n")}\n`);

    const result = await modelgate(["train", "--out", "model"], dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('parts/b.csv:6: charges: column "charges" holds -1e300 at line 6');
  });

  it("trains with a 12,000-character category value, stored as a prefix and a hash", async () => {
    const long = "x".repeat(12_000);
    const csv = churnCsv(300, (cells, row) => {
      if (row % 50 === 0) cells[1] = long;
    });
    const dir = await project(config("epochs: 3"), { "train.csv": csv });

    const result = await modelgate(["train", "--out", "model"], dir);

    expect(result.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(dir, "model", "modelgate.json"), "utf8"));
    const plan = manifest.preprocessor.features.find((f: { name: string }) => f.name === "plan");
    expect(plan.categories).toHaveLength(4);
    expect(plan.categories.find((c: string) => c.startsWith("xxx"))).toMatch(/^x{176}…#[0-9a-f]{16}$/);
  });

  it("refuses a 12,000-class target up front with exit 2 and the fix", async () => {
    const csv = churnCsv(12_000, (cells, row) => {
      cells[3] = `customer-${row}`;
    });
    const dir = await project(config("epochs: 3", "churned"), { "train.csv": csv });

    const result = await modelgate(["train", "--out", "model"], dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'modelgate train: data.target: target "churned" has 12000 distinct values over 12000 rows; classification supports at most 10000 classes; it looks like an ID or a continuous value: choose another data.target, or set model.task: regression when it is numeric\n',
    );
    expect(result.stderr).not.toContain("trained");
    expect(await tree(dir)).toEqual(untouched);
  });

  it("asks for --force before replacing a non-empty --out, and replaces it only when complete", async () => {
    const dir = await project(config("epochs: 2"), { "train.csv": churnCsv() });
    await mkdir(path.join(dir, "model"));
    await writeFile(path.join(dir, "model", "notes.txt"), "keep me");

    const refused = await modelgate(["train", "--out", "model"], dir);
    const kept = await tree(path.join(dir, "model"));
    const forced = await modelgate(["train", "--out", "model", "--force"], dir);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "model: --out: folder is not empty (1 entries); pass --force to replace it, or choose another folder",
    );
    expect(kept).toEqual(["notes.txt"]);
    expect(forced.code).toBe(0);
    expect(await tree(path.join(dir, "model"))).toEqual([
      "data-index.json",
      "model.json",
      "modelgate.json",
      "profile.json",
      "weights.bin",
    ]);
  });

  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    it(`leaves no model folder when ${signal} interrupts training (exit ${code})`, async () => {
      const dir = await project(config("epochs: 100000, earlyStopping: false"), { "train.csv": churnCsv() });
      const run = start(["train", "--out", "model"], dir);
      await run.output(/▸ train/);

      run.child.kill(signal);
      const result = await run.done;

      expect(result.code).toBe(code);
      expect(result.stderr).toContain(`modelgate: interrupted by ${signal}; nothing was written`);
      expect(await tree(dir)).toEqual(untouched);
    });
  }

  it("fails evaluate loudly (exit 1) when the model's predictions are not finite", async () => {
    const dir = await project(config("epochs: 2"), { "train.csv": churnCsv() });
    expect((await modelgate(["train", "--out", "model"], dir)).code).toBe(0);
    const file = path.join(dir, "model", "weights.bin");
    const weights = await readFile(file);
    for (let i = 0; i < weights.length; i += 4) weights.writeFloatLE(Number.NaN, i);
    await writeFile(file, weights);

    const result = await modelgate(["evaluate", "--model", "model"], dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "modelgate evaluate: model: the model's predictions are not finite numbers for 60 of 60 rows (first: line",
    );
    expect(result.stdout).not.toContain("gate passed");
  });
});
