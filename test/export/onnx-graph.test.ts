import { beforeAll, describe, expect, it } from "vitest";
import type { Cell } from "../../core/data/types.js";
import { UserError } from "../../core/errors.js";
import { GraphBuilder } from "../../core/export/onnx/builder.js";
import { encodeFeatures, featureInputs } from "../../core/export/onnx/encoding.js";
import { onnxFeeds } from "../../core/export/onnx/feeds.js";
import { IR_VERSION, ML_OPSET, OPSET, toOnnx } from "../../core/export/onnx/index.js";
import { DataType, encodeModel } from "../../core/export/onnx/proto.js";
import { initBackend } from "../../core/model/backend.js";
import { transform } from "../../core/model/encode.js";
import { ACTIVATIONS, type Activation, buildNetwork } from "../../core/model/network.js";
import { argmax, predict } from "../../core/model/predict.js";
import { encodedWidth, fitPreprocessor, type Table } from "../../core/model/preprocess.js";
import { type Preprocessor, PreprocessorState } from "../../core/model/schema.js";
import { silentLogger } from "../../core/ports.js";
import { readHeader, runOnnx } from "./ort.js";

/** Rows whose every column walks through its own list of values, so each edge case meets the others. */
function cycled(rows: number, columns: Record<string, Cell[]>): Table {
  const names = Object.keys(columns);
  return {
    columns: names,
    data: names.map((name) =>
      Array.from({ length: rows }, (_, r) => columns[name]![r % columns[name]!.length]!),
    ),
  };
}

const many = Array.from({ length: 120 }, (_, i) => `v${i}`);

/** Training rows in CSV's and JSON's shapes: every feature kind, missing values, ties, a long tail of categories. */
const training = cycled(600, {
  num_missing: ["1.5", "", "2", "NA", "-3.25", "10", "4"],
  num_full: [1, -2.5, 1e6, 0.001, 42, -7],
  num_const: ["5"],
  flag: ["yes", "no", "TRUE", "False", "", "true", "false"],
  color: ["red", "green", "blue", " red ", "green", "red", ""],
  // 120 labels, the first ones more frequent: the 100 most frequent are kept, the rest go to "other".
  many: [...many, ...many.slice(0, 30)],
  mixed: [1, 2, "x", 2, "y", "1"],
  y: ["a", "b", "c", "b", "a"],
});

/** Data to encode: values the training never had, missing-value words, text that needs trimming. */
const scoring = cycled(84, {
  num_missing: [
    "",
    "NA",
    null,
    "abc",
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    "1e3",
    " 7 ",
    -0,
    1e300,
    "None",
    3,
  ],
  num_full: [null, "nan", 2, "-1", 1e-300, Number.NaN, "0x10"],
  num_const: ["5", "", 6],
  flag: ["yes", "no", "maybe", null, true, false, "T", " N ", "", 1],
  color: ["red", " red ", "purple", "", "NA", null, "None", "RED", "green", "blue", true, 7],
  many: ["v0", "v99", "v100", "v119", "v120", "", "v5", " v7"],
  mixed: [1, "1", 2.0, "x", true, "y", null, 1.5],
});

async function onnxEncoding(prep: Preprocessor, table: Table): Promise<number[]> {
  const inputs = featureInputs(prep);
  const b = new GraphBuilder([...inputs.map((i) => i.name), "encoded"]);
  b.op("Identity", [encodeFeatures(b, prep)], { output: "encoded" });
  const bytes = encodeModel({
    irVersion: IR_VERSION,
    opsets: [
      { domain: "", version: OPSET },
      { domain: "ai.onnx.ml", version: ML_OPSET },
    ],
    producerName: "test",
    producerVersion: "0",
    graph: {
      name: "encoding",
      nodes: b.nodes,
      initializers: b.initializers,
      inputs,
      outputs: [{ name: "encoded", type: DataType.float, shape: ["N", encodedWidth(prep.features)] }],
    },
    metadata: {},
  });
  const out = await runOnnx(bytes, onnxFeeds(prep, table));
  return Array.from(out.encoded!.data as Float32Array);
}

describe("the ONNX graph's preprocessing", () => {
  it("encodes every feature kind and edge case exactly as modelgate does", async () => {
    // Listed, so the constant column is kept (column roles leave constant columns out otherwise).
    const features = training.columns.filter((c) => c !== "y");
    const prep = fitPreprocessor(training, { target: "y", features });

    const encoded = await onnxEncoding(prep, scoring);

    expect(prep.features.map((f) => f.kind)).toEqual([
      "numeric",
      "numeric",
      "numeric",
      "boolean",
      "categorical",
      "categorical",
      "categorical",
    ]);
    expect(encoded).toEqual(Array.from(transform(prep, scoring).x));
  });

  it("matches modelgate on a hand-edited model folder: repeated, missing-word, padded and no categories", async () => {
    const prep = PreprocessorState.parse({
      features: [
        { name: "c", kind: "categorical", categories: ["a", "NA", " b", "a", "", "c"] },
        { name: "none", kind: "categorical", categories: [] },
        { name: "padded only", kind: "categorical", categories: [" z "] },
        { name: "n", kind: "numeric", median: -1, mean: 0.5, std: 3, missingIndicator: true },
        { name: "b", kind: "boolean", fill: 0.25 },
      ],
      target: { task: "regression", name: "t", mean: 0, std: 1 },
    });
    const table = cycled(12, {
      c: ["a", "NA", " b", "b", "", "c", null, "z"],
      none: ["a", "", " "],
      "padded only": [" z ", "z", null],
      n: [1, null, "x", 2.5, Number.NaN],
      b: [true, null, "no"],
    });

    const encoded = await onnxEncoding(prep, table);

    expect(encoded).toEqual(Array.from(transform(prep, table).x));
  });
});

describe("the ONNX graph's network", () => {
  beforeAll(async () => {
    await initBackend("cpu", silentLogger);
  });

  const prep = fitPreprocessor(training, { target: "y" });
  const width = encodedWidth(prep.features);

  it.each(Object.keys(ACTIVATIONS) as Activation[])(
    "agrees with predict() within 1e-5 with %s layers",
    async (activation) => {
      const model = buildNetwork({ hidden: [6, 5], activation, seed: 7 }, width, 3, "softmax");
      const predictor = { model, preprocessor: prep, inputDim: width };

      const { bytes } = toOnnx(predictor, { producerVersion: "test", file: "modelgate.json" });
      const out = await runOnnx(bytes, onnxFeeds(prep, scoring));
      const expected = predict(predictor, scoring);

      const probabilities = out.probabilities!.data as Float32Array;
      expect(expected.task).toBe("classification");
      expect(probabilities).toHaveLength(84 * 3);
      expect(
        maxDifference(probabilities, expected.task === "classification" ? expected.probabilities : []),
      ).toBeLessThan(1e-5);
      const labels = Array.from(argmax(probabilities, 3), (i) => ["a", "b", "c"][i]);
      expect(Array.from(out.label!.data as string[])).toEqual(labels);
      model.dispose();
    },
  );

  it("gives regression values in the target's units", async () => {
    const regression: Preprocessor = {
      ...prep,
      target: { task: "regression", name: "y", mean: 300, std: 80 },
    };
    const model = buildNetwork({ hidden: [8], activation: "tanh", seed: 3 }, width, 1, "linear");
    const predictor = { model, preprocessor: regression, inputDim: width };

    const { bytes, outputs } = toOnnx(predictor, { producerVersion: "test", file: "modelgate.json" });
    const out = await runOnnx(bytes, onnxFeeds(regression, scoring));
    const expected = predict(predictor, scoring);

    expect(outputs.map((o) => o.name)).toEqual(["value"]);
    expect(out.value!.dims).toEqual([84, 1]);
    const values = expected.task === "regression" ? expected.values : new Float64Array();
    // float32 arithmetic before the unscaling: 1e-5 of the standardised output, as a share of std.
    expect(maxDifference(out.value!.data as Float64Array, values) / 80).toBeLessThan(1e-5);
    model.dispose();
  });

  it("records opsets, producer and the class order in the model's metadata", () => {
    const model = buildNetwork({ hidden: [4], activation: "relu", seed: 1 }, width, 3, "softmax");

    const { bytes } = toOnnx(
      { model, preprocessor: prep, inputDim: width },
      { producerVersion: "9.9.9", file: "m" },
    );

    expect(readHeader(bytes)).toEqual({
      irVersion: 8,
      opsets: { "": 17, "ai.onnx.ml": 3 },
      producer: "modelgate",
      metadata: {
        "modelgate.task": "classification",
        "modelgate.target": "y",
        "modelgate.classes": '["a","b","c"]',
        "modelgate.features": JSON.stringify(
          prep.features.map((f) => ({
            name: f.name,
            kind: f.kind,
            type: f.kind === "categorical" ? "string" : "float64",
          })),
        ),
      },
    });
    model.dispose();
  });

  it("refuses a feature named like an output, and a network that does not fit the preprocessing", () => {
    const model = buildNetwork({ hidden: [4], activation: "relu", seed: 1 }, width, 3, "softmax");
    const clash: Preprocessor = {
      ...prep,
      features: prep.features.map((f, i) => (i === 0 ? { ...f, name: "label" } : f)),
    };
    const narrow = buildNetwork({ hidden: [4], activation: "relu", seed: 1 }, width - 1, 3, "softmax");

    const attempt =
      (p: Preprocessor, m = model) =>
      () =>
        toOnnx(
          { model: m, preprocessor: p, inputDim: width },
          { producerVersion: "t", file: "dir/modelgate.json" },
        );

    expect(attempt(clash)).toThrow(UserError);
    expect(attempt(clash)).toThrow(/feature "label" has the name of an ONNX output/);
    expect(attempt(prep, narrow)).toThrow(
      `cannot export: the network takes ${width - 1} inputs but the preprocessing makes ${width}`,
    );
    model.dispose();
    narrow.dispose();
  });
});

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    // 1e300 standardises past float32's range in both: NaN on both sides is agreement.
    if (Number.isNaN(a[i]!) && Number.isNaN(b[i]!)) continue;
    max = Math.max(max, Number.isNaN(a[i]! - b[i]!) ? Number.POSITIVE_INFINITY : Math.abs(a[i]! - b[i]!));
  }
  return max;
}

describe("features the export does not encode yet", () => {
  it("refuses a date feature, naming it and data.dates", () => {
    const table = cycled(40, {
      day: ["2024-01-01", "2024-03-05", "2024-07-09"],
      x: [1, 2, 3],
      y: ["a", "b"],
    });
    const prep = fitPreprocessor(table, { target: "y" });

    const attempt = () => toOnnx({ preprocessor: prep } as never, { producerVersion: "test", file: "model" });

    expect(prep.features.map((f) => f.kind)).toContain("datetime");
    expect(attempt).toThrow(/feature "day" is a date.*data\.dates: exclude/);
  });
});
