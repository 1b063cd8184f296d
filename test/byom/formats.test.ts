import { existsSync } from "node:fs";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPredictor, modelKinds } from "../../core/model/index.js";
import { repoRoot } from "../helpers/action.js";
import { cli, project } from "../helpers/cli.js";

const COLUMNS = ["age", "tenure_months", "support_calls"];
const W = [
  [0.02, -0.02],
  [-0.04, 0.04],
  [0.5, -0.5],
];
const B = [0.1, -0.1];

/** A TensorFlow.js GraphModel written by hand (tensorflowjs_converter's layout): softmax(x W + b). */
async function graphModel(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const float = { type: "DT_FLOAT" };
  const dims = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
  const constant = (name: string, ...shape: number[]) => ({
    name,
    op: "Const",
    attr: { dtype: float, value: { tensor: { dtype: "DT_FLOAT", tensorShape: dims(...shape) } } },
  });
  const modelJson = {
    format: "graph-model",
    generatedBy: "test",
    convertedBy: "hand",
    modelTopology: {
      node: [
        { name: "x", op: "Placeholder", attr: { dtype: float, shape: { shape: dims(-1, COLUMNS.length) } } },
        constant("w", COLUMNS.length, 2),
        constant("b", 2),
        {
          name: "mm",
          op: "MatMul",
          input: ["x", "w"],
          attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } },
        },
        { name: "logits", op: "AddV2", input: ["mm", "b"], attr: { T: float } },
        { name: "probabilities", op: "Softmax", input: ["logits"], attr: { T: float } },
      ],
      versions: { producer: 1 },
    },
    weightsManifest: [
      {
        paths: ["group1-shard1of1.bin"],
        weights: [
          { name: "w", shape: [COLUMNS.length, 2], dtype: "float32" },
          { name: "b", shape: [2], dtype: "float32" },
        ],
      },
    ],
  };
  await writeFile(path.join(dir, "model.json"), JSON.stringify(modelJson));
  await writeFile(
    path.join(dir, "group1-shard1of1.bin"),
    Buffer.from(new Float32Array([...W.flat(), ...B]).buffer),
  );
}

let root: string;

beforeAll(async () => {
  root = await project({
    "modelgate.yml": `version: 1
name: churn
data: { train: data/train.csv, test: data/test.csv, target: churned, id: customer_id }
model:
  signature:
    inputs: [{ name: x, columns: [${COLUMNS.join(", ")}] }]
`,
  });
  await cp(path.join(repoRoot, "examples/churn/data"), path.join(root, "data"), { recursive: true });
  await graphModel(path.join(root, "graph"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("model formats", () => {
  it("every kind has its folder under core/model/formats", () => {
    const missing = modelKinds().filter(
      (kind) => !existsSync(path.join(repoRoot, "core/model/formats", kind, "index.ts")),
    );

    expect(modelKinds()).toEqual(["modelgate-mlp", "onnx", "tfjs-layers", "tfjs-graph"]);
    expect(missing).toEqual([]);
  });

  it("a tfjs GraphModel imports; its [N, k] input takes the listed columns in order", async () => {
    const imported = await cli(["import", "graph", "--out", "models/graph"], root);
    const predictor = await loadPredictor(path.join(root, "models/graph"));
    const rows = [
      { age: 30, tenure_months: 2, support_calls: 5 },
      { age: 61, tenure_months: 40, support_calls: 0 },
    ];
    const prediction = await predictor.predictRows(rows, (r, c) => `${r}.${c}`);
    predictor.dispose();

    expect(imported.stderr).not.toContain("modelgate import:");
    expect(imported.code).toBe(0);
    expect(predictor.kind).toBe("tfjs-graph");
    const expected = rows.flatMap((row) => {
      const z = [0, 1].map((j) =>
        COLUMNS.reduce((s, c, i) => s + row[c as keyof typeof row] * W[i]![j]!, B[j]!),
      );
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      return e.map((v) => v / (e[0]! + e[1]!));
    });
    const got = prediction.task === "classification" ? Array.from(prediction.probabilities) : [];
    expect(Math.max(...got.map((p, i) => Math.abs(p - expected[i]!)))).toBeLessThan(1e-5);
  });

  it("a request row without a column the model takes is refused, naming the field", async () => {
    const predictor = await loadPredictor(path.join(root, "models/graph"));

    const error = await predictor
      .predictRows([{ age: 30, tenure_months: 2 }], (r, c) => `instances[${r}].${c}`)
      .catch((e: unknown) => e);
    predictor.dispose();

    expect(error).toMatchObject({ location: { field: "instances[0].support_calls" } });
  });

  it("a missing value the graph does not impute: a data table is refused naming the row, a request row is left to serve's 422", async () => {
    const predictor = await loadPredictor(path.join(root, "models/graph"));
    const table = {
      columns: COLUMNS,
      data: [
        [30, null],
        [2, 4],
        [5, 1],
      ],
    };

    const error = await predictor.predict(table).catch((e: unknown) => e);
    const served = await predictor.predictRows(
      [{ age: null, tenure_months: 2, support_calls: 5 }],
      (r, c) => `instances[${r}].${c}`,
    );
    predictor.dispose();

    expect(error).toMatchObject({ location: { field: "data row 2" } });
    expect((error as Error).message).toContain("the model gives NaN for this row");
    expect(served.task === "classification" && Number.isNaN(served.probabilities[0])).toBe(true);
  });
});
