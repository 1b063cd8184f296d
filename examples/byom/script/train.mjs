// A training program of your own, in plain Node (no packages): softmax regression on the churn data.
// modelgate runs it as model.command: node train.mjs TRAIN_CSV OUT_DIR TARGET EPOCHS LEARNING_RATE
// It writes a modelgate model folder into OUT_DIR: model.json + weights.bin (a one-layer tfjs model)
// and modelgate.json (the preprocessing it used, in modelgate's terms, so serving applies the same).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [trainCsv, out, target, epochs, learningRate] = process.argv.slice(2);
const [header, ...lines] = readFileSync(trainCsv, "utf8").trim().split(/\r?\n/);
const names = header.split(",");
const rows = lines.map((line) => line.split(","));
const column = (name) => rows.map((row) => row[names.indexOf(name)].trim());
const MISSING = new Set(["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"]);
const BOOLEAN = { true: 1, false: 0, yes: 1, no: 0 };

function fit(name) {
  const present = column(name).filter((v) => !MISSING.has(v));
  if (present.every((v) => Number.isFinite(Number(v)))) {
    const values = present.map(Number).sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
    const mid = values.length >> 1;
    const median = values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    return { name, kind: "numeric", median, mean, std, missingIndicator: present.length < rows.length };
  }
  if (present.every((v) => v.toLowerCase() in BOOLEAN)) {
    const fill = present.reduce((a, v) => a + BOOLEAN[v.toLowerCase()], 0) / present.length;
    return { name, kind: "boolean", fill };
  }
  const counts = new Map();
  for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 100);
  return { name, kind: "categorical", categories: ranked.map(([v]) => v) };
}

// The encoding modelgate applies at evaluation and serving time (see modelgate.json's preprocessor).
function encode(feature, value) {
  const missing = MISSING.has(value);
  if (feature.kind === "numeric") {
    const z = ((missing ? feature.median : Number(value)) - feature.mean) / feature.std;
    return feature.missingIndicator ? [z, missing ? 1 : 0] : [z];
  }
  if (feature.kind === "boolean") return [missing ? feature.fill : BOOLEAN[value.toLowerCase()]];
  const slot = feature.categories.indexOf(value);
  return [...feature.categories, "other"].map((_, i) =>
    i === (slot < 0 ? feature.categories.length : slot) ? 1 : 0,
  );
}

// customer_id is this data's row key (data.id in modelgate.yml): never a feature.
const features = names.filter((n) => n !== target && n !== "customer_id").map(fit);
const columns = Object.fromEntries(features.map((f) => [f.name, column(f.name)]));
const labels = column(target);
const classes = [...new Set(labels)].sort();
const x = rows.map((_, r) => features.flatMap((f) => encode(f, columns[f.name][r])));
const width = x[0].length;
const k = classes.length;
const w = new Float64Array(width * k);
const b = new Float64Array(k);
const y = labels.map((l) => classes.indexOf(l));

// Full-batch gradient descent on the cross-entropy.
for (let epoch = 0; epoch < Number(epochs); epoch++) {
  const gw = new Float64Array(width * k);
  const gb = new Float64Array(k);
  let loss = 0;
  x.forEach((row, r) => {
    const z = Array.from({ length: k }, (_, c) => b[c] + row.reduce((s, v, i) => s + v * w[i * k + c], 0));
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, v) => a + v, 0);
    e.forEach((v, c) => {
      const g = v / sum - (c === y[r] ? 1 : 0);
      gb[c] += g;
      for (let i = 0; i < width; i++) gw[i * k + c] += g * row[i];
    });
    loss -= Math.log(e[y[r]] / sum);
  });
  for (let i = 0; i < w.length; i++) w[i] -= (Number(learningRate) * gw[i]) / x.length;
  for (let c = 0; c < k; c++) b[c] -= (Number(learningRate) * gb[c]) / x.length;
  if ((epoch + 1) % 50 === 0)
    process.stdout.write(`epoch ${epoch + 1}: loss ${(loss / x.length).toFixed(4)}\n`);
}

mkdirSync(out, { recursive: true });
const dense = "dense_Dense1";
writeFileSync(
  path.join(out, "model.json"),
  JSON.stringify({
    modelTopology: {
      class_name: "Sequential",
      config: {
        name: "byom",
        layers: [
          {
            class_name: "Dense",
            config: {
              units: k,
              activation: "softmax",
              use_bias: true,
              name: dense,
              trainable: true,
              batch_input_shape: [null, width],
              dtype: "float32",
            },
          },
        ],
      },
      keras_version: "tfjs-layers 4.22.0",
      backend: "tensor_flow.js",
    },
    format: "layers-model",
    generatedBy: "examples/byom/script/train.mjs",
    convertedBy: null,
    weightsManifest: [
      {
        paths: ["weights.bin"],
        weights: [
          { name: `${dense}/kernel`, shape: [width, k], dtype: "float32" },
          { name: `${dense}/bias`, shape: [k], dtype: "float32" },
        ],
      },
    ],
  }),
);
writeFileSync(path.join(out, "weights.bin"), new Uint8Array(new Float32Array([...w, ...b]).buffer));
writeFileSync(
  path.join(out, "modelgate.json"),
  JSON.stringify(
    {
      format: 1,
      task: "classification",
      target,
      features: features.map((f) => ({ name: f.name, kind: f.kind })),
      classes,
      preprocessor: {
        features,
        target: { task: "classification", name: target, classes },
        id: "customer_id",
      },
      config: { hidden: [], epochs: Number(epochs), learningRate: Number(learningRate) },
      inputDim: width,
      backend: "node script",
    },
    null,
    2,
  ),
);
process.stdout.write(`wrote ${out}: ${width} inputs, ${k} classes\n`);
