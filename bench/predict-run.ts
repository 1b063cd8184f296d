// One side of `npm run bench -- predict`, as a whole process (bundled by bench/predict.ts):
//   node predict-run.mjs <modelgate|modelgate-text|modelgate-records|ort-web|ort-node> <model dir> <model.onnx> <rows.csv> <out.bin> <warm calls> [ort-node dir]
// Loads the model, reads the rows (outside every timing), scores them once cold and then <warm calls> times,
// writes the cold call's probabilities to <out.bin> (float32) and prints the timings as JSON.
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [side, modelDir, onnxFile, rowsCsv, outFile, warmArg, ortNodeDir] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string | undefined,
];
const warmCalls = Number(warmArg);

/** Wall and CPU (user + system, every thread) milliseconds of one call. */
async function measure<T>(call: () => Promise<T> | T): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await call();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, wall, cpu: (used.user + used.system) / 1000 };
}

type Score = () => Promise<Float32Array>;
const MODES: Record<string, "typed" | "text" | "records"> = {
  modelgate: "typed",
  "modelgate-text": "text",
  "modelgate-records": "records",
};
interface Side {
  load: number;
  read: number;
  score: Score;
  /** The network alone, on rows it encodes first (called after the cold call, so as not to warm it). */
  network?: () => Score;
}

/**
 * modelgate's batch path (evaluate's): `typed` reads numeric columns as numbers first, as JSON requests,
 * JSON Lines and Parquet give them (and as the ONNX runtimes and scikit-learn are given them here); `text`
 * leaves the CSV reader's text cells, parsed while encoding; `records` scores the typed rows as a request's
 * JSON objects, checked field by field on serve's path (predictRows).
 */
async function modelgate(mode: "typed" | "text" | "records"): Promise<Side> {
  const typed = mode !== "text";
  const { loadPredictor } = await import("../core/model/formats/index.js");
  const { loadTable } = await import("../core/pipeline/dataset.js");
  const { transform } = await import("../core/model/encode.js");
  const { predictEncoded } = await import("../core/model/predict.js");
  const { toNumber } = await import("../core/model/preprocess.js");
  const loaded = await measure(() => loadPredictor(modelDir));
  const predictor = loaded.value;
  const read = await measure(async () => {
    const { table } = await loadTable(rowsCsv, {});
    if (!typed) return table;
    const numeric = new Set(
      predictor.preprocessor.features.filter((f) => f.kind === "numeric").map((f) => f.name),
    );
    return {
      ...table,
      data: table.data.map((cells, c) => (numeric.has(table.columns[c]!) ? cells.map(toNumber) : cells)),
    };
  });
  const table = read.value;
  const network = predictor.network!;
  const rows = table.data[0]?.length ?? 0;
  // A request's rows hold the features only.
  const featureColumns = predictor.preprocessor.features.map((f) => table.columns.indexOf(f.name));
  const records = Array.from({ length: mode === "records" ? rows : 0 }, (_, r) =>
    Object.fromEntries(featureColumns.map((c) => [table.columns[c]!, table.data[c]![r]])),
  );
  const field = (row: number, column?: string) => `instances[${row}]${column ? `.${column}` : ""}`;
  return {
    load: loaded.wall,
    read: read.wall,
    score: async () => {
      const prediction =
        mode === "records" ? await predictor.predictRows(records, field) : await predictor.predict(table);
      if (prediction.task !== "classification") throw new Error("expected a classifier");
      return prediction.probabilities;
    },
    ...(mode === "typed"
      ? {
          network: () => {
            const encoded = transform(network.preprocessor, table).x;
            return async () => {
              const prediction = predictEncoded(network, encoded, rows);
              return prediction.task === "classification" ? prediction.probabilities : new Float32Array();
            };
          },
        }
      : {}),
  };
}

async function ort(runtime: "web" | "node"): Promise<Side> {
  const { readManifest } = await import("../core/model/io.js");
  const { loadTable } = await import("../core/pipeline/dataset.js");
  const { onnxFeeds } = await import("../core/export/onnx/feeds.js");
  const loaded = await measure(async () => {
    type Ort = typeof import("onnxruntime-web");
    let ort: Ort;
    if (runtime === "node") {
      const required = createRequire(path.join(ortNodeDir!, "package.json"))("onnxruntime-node") as Ort;
      ort = required;
    } else {
      ort = await import("onnxruntime-web");
      // Its WebAssembly build as Node loads it (one thread: no worker files), from node_modules.
      const dist = path.dirname(createRequire(import.meta.url).resolve("onnxruntime-web"));
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.wasmPaths = {
        mjs: pathToFileURL(path.join(dist, "ort-wasm-simd-threaded.mjs")).href,
        wasm: pathToFileURL(path.join(dist, "ort-wasm-simd-threaded.wasm")).href,
      };
    }
    const session = await ort.InferenceSession.create(onnxFile);
    return { ort, session };
  });
  const { ort, session } = loaded.value;
  const read = await measure(async () => {
    const { table } = await loadTable(rowsCsv, {});
    const manifest = await readManifest(modelDir);
    const rows = table.data[0]?.length ?? 0;
    const feeds = onnxFeeds(manifest.preprocessor, table);
    return Object.fromEntries(
      Object.entries(feeds).map(([name, feed]) => [name, new ort.Tensor(feed.type, feed.values, [rows, 1])]),
    );
  });
  return {
    load: loaded.wall,
    read: read.wall,
    score: async () => {
      const result = await session.run(read.value, ["probabilities"]);
      return result.probabilities!.data as Float32Array;
    },
  };
}

const {
  load,
  read,
  score,
  network: networkAlone,
} = side.startsWith("modelgate")
  ? await modelgate(MODES[side]!)
  : await ort(side === "ort-web" ? "web" : "node");
const cold = await measure(score);
const network = networkAlone?.();
const warm: Array<{ wall: number; cpu: number }> = [];
const alone: Array<{ wall: number; cpu: number }> = [];
for (let i = 0; i < warmCalls; i++) {
  const { wall, cpu } = await measure(score);
  warm.push({ wall, cpu });
  if (network) {
    const { wall, cpu } = await measure(network);
    alone.push({ wall, cpu });
  }
}
await writeFile(outFile, new Uint8Array(cold.value.buffer, cold.value.byteOffset, cold.value.byteLength));
console.log(
  JSON.stringify({
    load,
    read,
    cold: { wall: cold.wall, cpu: cold.cpu },
    warm,
    ...(network ? { network: alone } : {}),
  }),
);
