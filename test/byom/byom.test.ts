import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../cli/main.js";
import { loadPredictor, type Prediction } from "../../core/model/index.js";
import { cli, project } from "../helpers/cli.js";
import type { Json } from "../serve/helpers.js";

const here = path.dirname(new URL(import.meta.url).pathname);
const byom = path.resolve(here, "../../examples/byom");
const churn = path.resolve(here, "../../examples/churn/data");

const base = (name: string, signature = "") => `version: 1
name: ${name}
data: { train: data/train.csv, test: data/test.csv, target: churned, id: customer_id }
model:
  task: classification
  hidden: [16]
  epochs: 5
  seed: 7${signature}
gates:
  - { metric: accuracy, min: 0.6 }
  - { metric: f1_macro, maxDrop: 0.02 }
`;
const TORCH_SIGNATURE = `
  signature:
    inputs: [{ name: input, columns: [age, tenure_months, monthly_charges, support_calls] }]`;

/** Each fixture, how it is imported, and the gate verdict against the modelgate-built champion. */
const fixtures = [
  {
    name: "torch",
    source: "torch-mlp.onnx",
    kind: "onnx",
    config: base("torch", TORCH_SIGNATURE),
    passes: false,
  },
  { name: "logreg", source: "logreg.onnx", kind: "onnx", config: base("logreg"), passes: false },
  {
    name: "conv",
    source: "tfjs-conv",
    kind: "tfjs-layers",
    config: base("conv"),
    flags: ["--preprocessor", path.join(byom, "tfjs-conv.preprocessor.json")],
    passes: true,
  },
];

let root: string;

beforeAll(async () => {
  root = await project(
    Object.fromEntries([...fixtures.map((f) => [`${f.name}.yml`, f.config]), ["plain.yml", base("plain")]]),
  );
  await cp(churn, path.join(root, "data"), { recursive: true });
  const trained = await cli(["train", "--out", "champion", "--config", "plain.yml", "-q"], root);
  expect(trained.code).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The first rows of the test file as a client sends them: numbers, booleans, strings, null. */
async function requestRows(n: number): Promise<Record<string, unknown>[]> {
  const [header, ...lines] = (await readFile(path.join(churn, "test.csv"), "utf8")).trim().split("\n");
  const columns = header!.split(",");
  return lines.slice(0, n).map((line) => {
    const cells = line.split(",");
    const row: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      const cell = cells[i]!;
      if (c === "churned" || c === "customer_id") return;
      row[c] =
        cell === ""
          ? null
          : c === "has_partner"
            ? cell === "true"
            : /^[\d.]+$/.test(cell)
              ? Number(cell)
              : cell;
    });
    return row;
  });
}

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  return { status: response.status, body: (await response.json()) as Json };
}

/** `modelgate serve` in-process until SIGTERM, its stdout readable while it runs. */
async function serving(args: string[], cwd: string, work: (url: string) => Promise<void>): Promise<number> {
  let stdout = "";
  let stderr = "";
  const running = run(["serve", ...args], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
    cwd,
  });
  for (let i = 0; i < 1000 && !/at http/.test(stdout) && !stderr.includes("modelgate serve:"); i++)
    await new Promise((r) => setTimeout(r, 10));
  const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  expect(stderr).not.toContain("modelgate serve:");
  try {
    await work(url!);
  } finally {
    process.emit("SIGTERM");
  }
  return running;
}

const probabilitiesOf = (p: Prediction) => (p.task === "classification" ? Array.from(p.probabilities) : []);

describe.each(fixtures)("bring your own model: $name ($kind)", (fixture) => {
  const config = ["--config", `${fixture.name}.yml`];
  const dir = () => path.join(root, "models", fixture.name);

  it("imports, is gated against the champion, registers, serves all three protocols, and drift reads it", async () => {
    const imported = await cli(
      [
        "import",
        path.join(byom, fixture.source),
        "--out",
        `models/${fixture.name}`,
        ...(fixture.flags ?? []),
        ...config,
      ],
      root,
    );
    expect(imported.stderr).not.toContain("modelgate import:");
    expect(imported.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(dir(), "modelgate.json"), "utf8"));
    expect(manifest).toMatchObject({ format: 2, kind: fixture.kind, classes: ["no", "yes"] });
    expect(manifest.files.every((f: { sha256: string }) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);

    const evaluated = await cli(
      ["evaluate", "--model", `models/${fixture.name}`, "--champion", "champion", "--json", ...config],
      root,
    );
    const report = JSON.parse(evaluated.stdout);
    expect(report.passed).toBe(fixture.passes);
    expect(evaluated.code).toBe(fixture.passes ? 0 : 1);
    expect(report.champion.metrics.f1_macro).toBeGreaterThan(0.5);
    expect(report.gates.find((g: { metric: string; rule: string }) => g.rule === "maxDrop")?.passed).toBe(
      fixture.passes,
    );

    expect((await cli(["registry", "register", `models/${fixture.name}`, ...config], root)).code).toBe(0);
    expect((await cli(["registry", "promote", fixture.name, "1", ...config], root)).code).toBe(0);

    // Requests name the model's own columns (as for a modelgate-built model, others are refused).
    const rows = (await requestRows(12)).map((row) =>
      Object.fromEntries(manifest.features.map((f: { name: string }) => [f.name, row[f.name]])),
    );
    const predictor = await loadPredictor(dir());
    const expected = probabilitiesOf(await predictor.predictRows(rows, (r, c) => `${r}.${c}`));
    predictor.dispose();
    // MLflow's frames name exactly the model's columns (an imported model declares fewer than the data has).
    const columns: string[] = manifest.features.map((f: { name: string }) => f.name);
    const served = await serving(
      ["--alias", "champion", "--port", "0", "--log", "serve.jsonl", ...config],
      root,
      async (url) => {
        const v1 = await post(`${url}/v1/models/${fixture.name}:predict`, { instances: rows });
        const v2 = await post(`${url}/v2/models/${fixture.name}/infer`, {
          inputs: manifest.features.map((f: { name: string; kind: string }) => ({
            name: f.name,
            shape: [rows.length],
            datatype: f.kind === "numeric" ? "FP64" : f.kind === "boolean" ? "BOOL" : "BYTES",
            data: rows.map((r) => r[f.name]),
          })),
        });
        const mlflow = await post(`${url}/invocations`, {
          dataframe_split: { columns, data: rows.map((r) => columns.map((c) => r[c])) },
        });

        expect([v1.status, v2.status, mlflow.status]).toEqual([200, 200, 200]);
        const fromRows = (predictions: Array<{ probabilities: Record<string, number> }>) =>
          predictions.flatMap((p) => [p.probabilities.no!, p.probabilities.yes!]);
        const v2Probabilities = v2.body.outputs.find(
          (o: { name: string }) => o.name === "probabilities",
        ).data;
        for (const got of [
          fromRows(v1.body.predictions),
          v2Probabilities,
          fromRows(mlflow.body.predictions),
        ]) {
          expect(got).toHaveLength(expected.length);
          const worst = Math.max(...got.map((p: number, i: number) => Math.abs(p - expected[i]!)));
          expect(worst).toBeLessThan(1e-6);
        }
      },
    );
    expect(served).toBe(0);

    const current = await cli(
      ["drift", "--model", `models/${fixture.name}`, "--current", "data/live.csv", "--json", ...config],
      root,
    );
    const logged = await cli(
      ["drift", "--model", `models/${fixture.name}`, "--log", "serve.jsonl", "--json", ...config],
      root,
    );
    expect([0, 1]).toContain(current.code);
    expect(
      JSON.parse(current.stdout)
        .columns.map((c: { column: string }) => c.column)
        .sort(),
    ).toEqual(manifest.features.map((f: { name: string }) => f.name).sort());
    expect([0, 1]).toContain(logged.code);
    expect(
      JSON.parse(logged.stdout).rows?.current ?? JSON.parse(logged.stdout).current?.rows,
    ).toBeGreaterThanOrEqual(rows.length * 3);
    await rm(path.join(root, "serve.jsonl"), { force: true });
  }, 120_000);
});

describe("modelgate import refuses what it cannot load or score (exit 2, nothing left)", () => {
  const refused = async (args: string[], config = "plain.yml") => {
    const result = await cli(["import", ...args, "--out", "models/refused", "--config", config], root);
    const left = (await readdir(path.join(root, "models")).catch(() => [])).filter((f) =>
      f.startsWith("refused"),
    );
    return { ...result, left };
  };

  it("a corrupt ONNX file", async () => {
    await writeFile(path.join(root, "corrupt.onnx"), Buffer.from("not a protobuf at all, just bytes"));

    const result = await refused([path.join(root, "corrupt.onnx")]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(root, "corrupt.onnx")}: not a loadable ONNX model`);
    expect(result.left).toEqual([]);
  });

  it("a graph whose inputs do not match the data's columns", async () => {
    await writeFile(
      path.join(root, "wrong.yml"),
      base("wrong", TORCH_SIGNATURE.replace("support_calls", "calls")),
    );

    const width = await refused([path.join(byom, "torch-mlp.onnx")]);
    const unknown = await refused([path.join(byom, "torch-mlp.onnx")], "wrong.yml");

    expect(width.code).toBe(2);
    expect(width.stderr).toContain('input "input" takes 4 columns per row, the data has 8 features');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("column(s) the data does not have: calls");
    expect([...width.left, ...unknown.left]).toEqual([]);
  });

  it("without --out, a refused import leaves no folder in the store either", async () => {
    const before = await readdir(path.join(root, ".modelgate/artifacts")).catch(() => []);

    const result = await cli(
      ["import", path.join(byom, "logreg-logits.onnx"), "--config", "plain.yml"],
      root,
    );

    expect(result.code).toBe(2);
    expect(await readdir(path.join(root, ".modelgate/artifacts")).catch(() => [])).toEqual(before);
  });

  it("an output that is not probabilities (logits)", async () => {
    const result = await refused([path.join(byom, "logreg-logits.onnx")]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/output "logits" is not class probabilities: data row 1 gives \[-?\d/);
    expect(result.left).toEqual([]);
  });

  it("a non-empty --out is refused before any work unless --force, and left as it was", async () => {
    await mkdir(path.join(root, "occupied"), { recursive: true });
    await writeFile(path.join(root, "occupied/keep.txt"), "mine");
    const args = ["import", path.join(byom, "logreg.onnx"), "--config", "plain.yml", "--out", "occupied"];

    const refusedRun = await cli(args, root);
    const kept = await readdir(path.join(root, "occupied"));

    expect(refusedRun.code).toBe(2);
    expect(refusedRun.stderr).toContain("folder is not empty");
    expect(kept).toEqual(["keep.txt"]);
    const forced = await cli([...args, "--force"], root);
    expect(forced.code).toBe(0);
    expect((await readdir(path.join(root, "occupied"))).sort()).not.toContain("keep.txt");
  });

  it("a model file changed after import is refused on load", async () => {
    expect(
      (
        await cli(
          ["import", path.join(byom, "logreg.onnx"), "--out", "models/tampered", "--config", "plain.yml"],
          root,
        )
      ).code,
    ).toBe(0);
    const file = path.join(root, "models/tampered/model.onnx");
    const bytes = await readFile(file);
    bytes[bytes.length - 1] = bytes.at(-1)! ^ 1;
    await writeFile(file, bytes);

    const result = await cli(
      ["evaluate", "--model", "models/tampered", "--champion", "champion", "--config", "plain.yml"],
      root,
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("model.onnx: changed since it was imported");
  });

  it("a format 1 folder (before kinds) still loads as a modelgate-mlp", async () => {
    await cp(path.join(root, "champion"), path.join(root, "models/v1"), { recursive: true });
    const file = path.join(root, "models/v1/modelgate.json");
    const { kind: _kind, ...rest } = JSON.parse(await readFile(file, "utf8"));
    await writeFile(file, JSON.stringify({ ...rest, format: 1 }));

    const predictor = await loadPredictor(path.join(root, "models/v1"));
    predictor.dispose();

    expect(predictor.kind).toBe("modelgate-mlp");
    expect(predictor.manifest.format).toBe(2);
  });
});
