import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { repoRoot } from "../helpers/action.js";
import { cliProcess } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/** examples/byom beside the churn data it reads, in a temporary folder. */
async function copyOfExamples(): Promise<string> {
  const root = await tempDir("mg-byom-");
  await cp(path.join(repoRoot, "examples/byom"), path.join(root, "byom"), { recursive: true });
  await cp(path.join(repoRoot, "examples/churn"), path.join(root, "churn"), { recursive: true });
  return root;
}

/** A variant of the example's config beside it, so script/ and the data paths still resolve. */
async function variant(root: string, name: string, model: Record<string, unknown>): Promise<string> {
  const config = parse(await readFile(path.join(root, "byom/command.yml"), "utf8")) as {
    model: Record<string, unknown>;
  };
  await writeFile(
    path.join(root, "byom", name),
    stringify({ ...config, model: { ...config.model, ...model } }),
  );
  return `byom/${name}`;
}

describe("examples/byom: modelgate runs the project's own training program", () => {
  it("trains with script/train.mjs, imports, evaluates, gates and registers; the run records the command", async () => {
    const root = await copyOfExamples();

    const run = await cliProcess(["run", "--config", "byom/command.yml", "--json"], root);
    const model = (JSON.parse(run.stdout || "{}") as { model?: string }).model ?? "missing";
    const exported = await cliProcess(
      ["export", "--model", model, "--format", "onnx", "--out", "byom.onnx"],
      root,
    );

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      model: string;
      registered: string;
      result: { passed: boolean };
    };
    expect(result.registered).toBe("churn-byom v1, now the champion");
    expect(result.result.passed).toBe(true);
    expect(run.stderr).toContain("epoch 300: loss");
    const manifest = JSON.parse(await readFile(path.join(result.model, "modelgate.json"), "utf8"));
    expect(manifest.run).toMatchObject({
      kind: "train",
      params: { epochs: 300, learning_rate: 0.5 },
      data: { train: { file: "churn/data/train.csv", rows: 4000 } },
    });
    const out = path.join(path.dirname(result.model), "command-output");
    expect(manifest.run.command).toEqual([
      "node",
      "script/train.mjs",
      path.join(root, "churn/data/train.csv"),
      out,
      "churned",
      "300",
      "0.5",
    ]);
    expect(manifest.run.durationMs).toBeGreaterThan(0);
    // What the program wrote is a modelgate model like any other: it exports too.
    expect(exported).toMatchObject({ code: 0, stdout: "byom.onnx\n" });
  });

  it("refuses a program that fails, runs too long or writes nothing, and params it may not take: exit 2", async () => {
    const root = await copyOfExamples();
    const failing = await variant(root, "failing.yml", {
      command: ["node", "-e", "console.error('no column churn'); process.exit(3)"],
    });
    const slow = await variant(root, "slow.yml", {
      command: ["node", "-e", "setInterval(() => {}, 1000)"],
      timeout: 1,
    });
    const silent = await variant(root, "silent.yml", { command: ["node", "-e", "console.log('done')"] });

    const runs = {
      failing: await cliProcess(["run", "--config", failing], root),
      slow: await cliProcess(["train", "--config", slow], root),
      silent: await cliProcess(["train", "--config", silent], root),
      bound: await cliProcess(["train", "--config", "byom/command.yml", "--param", "epochs=99999"], root),
      undeclared: await cliProcess(["train", "--config", "byom/command.yml", "--param", "command=rm"], root),
      native: await cliProcess(["train", "--config", "churn/modelgate.yml", "--param", "epochs=3"], root),
    };

    expect(Object.values(runs).map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(runs.failing.stderr).toMatch(
      /modelgate run: model\.command: node -e .* exited with code 3; its last lines:\n {2}no column churn\n/,
    );
    expect(runs.slow.stderr).toMatch(
      /modelgate train: model\.timeout: node -e .* did not finish within 1 s; it was stopped\n/,
    );
    expect(runs.silent.stderr).toMatch(
      /model\.command: node -e .* exited 0 but wrote nothing to .*command-output \(the \{out\} folder\)/,
    );
    expect(runs.bound.stderr).toBe("modelgate train: params: epochs: at most 5000.\n");
    expect(runs.undeclared.stderr).toBe(
      "modelgate train: params: command: not a param the config declares (declared: epochs, learning_rate)\n",
    );
    expect(runs.native.stderr).toBe(
      "modelgate train: params: params are for a model.command project; this config has no model.command\n",
    );
    expect(await readdir(path.join(root, "byom/.modelgate")).catch(() => [])).not.toContain("models");
  });
});
