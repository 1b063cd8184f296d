// Bundles every door into dist/ (committed: GitHub runs actions from the repository as it is).
// Output must be byte-for-byte reproducible: test/dist.test.ts rebuilds and compares.
import { cp, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.resolve(root, process.argv[2] ?? "dist");

export const entryPoints = {
  cli: "cli/main.ts",
  action: "actions/main.ts",
  validate: "actions/validate/main.ts",
  train: "actions/train/main.ts",
  evaluate: "actions/evaluate/main.ts",
  report: "actions/report/main.ts",
  publish: "actions/publish/main.ts",
  drift: "actions/drift/main.ts",
  tune: "actions/tune/main.ts",
  "bot-actions": "bot/actions.ts",
  "tune-worker": "core/pipeline/tune-worker.ts",
  "validate-worker": "core/scan/validate-worker.ts",
};

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "linked",
  chunkNames: "chunks/[name]-[hash]",
  // Optional at run time: used when the user installed it, never bundled.
  external: ["@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu", "onnxruntime-node"],
  // Some dependencies are CommonJS and use require() and __dirname; give the ESM bundle both.
  banner: {
    js: [
      'import { createRequire as __mgCreateRequire } from "node:module";',
      'import { fileURLToPath as __mgFileURLToPath } from "node:url";',
      "const require = __mgCreateRequire(import.meta.url);",
      "const __filename = __mgFileURLToPath(import.meta.url);",
      'const __dirname = __filename.slice(0, __filename.lastIndexOf("/"));',
    ].join(" "),
  },
  logLevel: "warning",
});

// The wasm backend loads its binaries from disk next to the bundle.
const wasmSrc = path.join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
await mkdir(path.join(outdir, "wasm"), { recursive: true });
for (const file of await readdir(wasmSrc)) {
  if (file.endsWith(".wasm")) await cp(path.join(wasmSrc, file), path.join(outdir, "wasm", file));
}

// onnxruntime-web loads its single-threaded WebAssembly build (and its loader) from dist/onnx.
const ortSrc = path.join(root, "node_modules/onnxruntime-web/dist");
await mkdir(path.join(outdir, "onnx"), { recursive: true });
for (const file of ["ort-wasm-simd-threaded.wasm", "ort-wasm-simd-threaded.mjs"]) {
  await cp(path.join(ortSrc, file), path.join(outdir, "onnx", file));
}
