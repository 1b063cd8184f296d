import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { ImportedManifest } from "../../core/model/index.js";
import { renderModelCard } from "../../core/publish/index.js";

const manifest = ImportedManifest.parse({
  format: 2,
  kind: "onnx",
  task: "classification",
  target: "churned",
  features: [{ name: "age", kind: "numeric" }],
  classes: ["no", "yes"],
  preprocessor: JSON.parse(
    await readFile(
      path.resolve(import.meta.dirname, "../../examples/byom/tfjs-conv.preprocessor.json"),
      "utf8",
    ),
  ),
  signature: {
    inputs: [{ name: "input", layout: "matrix", columns: ["age"], dtype: "float32", rank: 2 }],
    output: "probabilities",
    classes: ["no", "yes"],
  },
  files: [{ path: "model.onnx", size: 10, sha256: "a".repeat(64) }],
  lineage: {
    source: "torch-mlp.onnx",
    importedAt: "2026-12-07T16:00:00.000Z",
    importedBy: "octocat",
    commit: "0123456789abcdef",
  },
  backend: "onnxruntime-web",
});

it("the model card of an imported model names its kind, inputs and import lineage", () => {
  const card = renderModelCard({ name: "churn", manifest });

  expect(card).toContain("- Kind: onnx (an imported ONNX graph)");
  expect(card).toContain("- Inputs: `input` (matrix, float32: age); output `probabilities`");
  expect(card).toContain(
    "Imported from `torch-mlp.onnx` on 2026-12-07T16:00:00.000Z by octocat at commit `0123456789ab`",
  );
  expect(card).toContain("the model's own graph does any preprocessing");
  expect(card).not.toContain("multilayer perceptron");
});
