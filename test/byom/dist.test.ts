import { spawn } from "node:child_process";
import { cp, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { repoRoot } from "../helpers/action.js";
import { project } from "../helpers/cli.js";

let root: string;
let copy: string;

// The bundle run from a folder with no node_modules: onnxruntime-web's wasm must come from dist/onnx.
beforeAll(async () => {
  root = await project({
    "modelgate.yml":
      "version: 1\nname: churn\ndata: { train: data/train.csv, test: data/test.csv, target: churned, id: customer_id }\n",
  });
  await cp(path.join(repoRoot, "examples/churn/data"), path.join(root, "data"), { recursive: true });
  copy = path.join(root, "modelgate");
  await mkdir(copy);
  await cp(path.join(repoRoot, "dist"), path.join(copy, "dist"), { recursive: true });
  await cp(path.join(repoRoot, "bin"), path.join(copy, "bin"), { recursive: true });
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function modelgate(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(copy, "bin/modelgate.js"), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "" },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stderr }));
  });
}

it("the bundled CLI imports and scores an ONNX model with onnxruntime-web from dist/onnx", async () => {
  const result = await modelgate([
    "import",
    path.join(repoRoot, "examples/byom/logreg.onnx"),
    "--out",
    "model",
  ]);

  expect(result.stderr).toContain("1000 test rows scored");
  expect(result.code).toBe(0);
  const manifest = JSON.parse(await readFile(path.join(root, "model/modelgate.json"), "utf8"));
  expect(manifest).toMatchObject({ kind: "onnx", backend: "onnxruntime-web" });
}, 60_000);
