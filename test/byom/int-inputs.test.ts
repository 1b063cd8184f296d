import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { GraphBuilder } from "../../core/export/onnx/builder.js";
import { DataType, encodeModel } from "../../core/export/onnx/proto.js";
import { graphPredictor } from "../../core/model/formats/graph.js";
import { onnxFormat } from "../../core/model/formats/onnx/index.js";
import type { Predictor } from "../../core/model/formats/types.js";
import type { ImportedManifest } from "../../core/model/schema.js";

// ONNX's TensorProto.INT32 (the export writes no int32 tensor, so proto.ts does not name it).
const INT32 = 6 as DataType;

/** value = float(n) + float(m), n an int64 input and m an int32 input, each [N, 1]. */
function addModel(): Uint8Array {
  const b = new GraphBuilder(["n", "m", "value"]);
  b.op("Add", [b.cast("n", DataType.float), b.cast("m", DataType.float)], { output: "value" });
  return encodeModel({
    irVersion: 8,
    opsets: [{ domain: "", version: 17 }],
    producerName: "test",
    producerVersion: "0",
    graph: {
      name: "add",
      nodes: b.nodes,
      initializers: b.initializers,
      inputs: [
        { name: "n", type: DataType.int64, shape: ["N", 1] },
        { name: "m", type: INT32, shape: ["N", 1] },
      ],
      outputs: [{ name: "value", type: DataType.float, shape: ["N", 1] }],
    },
    metadata: {},
  });
}

const numeric = (name: string) =>
  ({ name, kind: "numeric", median: 0, mean: 0, std: 1, missingIndicator: false }) as const;

const manifest = {
  format: 2,
  kind: "onnx",
  preprocessor: {
    features: [numeric("n"), numeric("m")],
    target: { task: "regression", name: "y", mean: 0, std: 1 },
  },
  signature: {
    inputs: [
      { name: "n", layout: "column", columns: ["n"], dtype: "int64", rank: 2 },
      { name: "m", layout: "column", columns: ["m"], dtype: "int32", rank: 2 },
    ],
    output: "value",
  },
} as unknown as ImportedManifest;

describe("integer inputs of an imported ONNX model", () => {
  let dir: string;
  let predictor: Predictor;
  const field = (row: number, column?: string) => `instances[${row}]${column ? `.${column}` : ""}`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "modelgate-int-inputs-"));
    await writeFile(path.join(dir, "model.onnx"), addModel());
    predictor = graphPredictor(await onnxFormat.open(dir, {}), manifest);
  });
  afterAll(async () => {
    predictor?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("integers within each type's range go in as they are", async () => {
    const prediction = await predictor.predictRows([{ n: 2 ** 40, m: 2 ** 31 - 1 }], field);
    expect(prediction.task).toBe("regression");
    if (prediction.task === "regression") expect(prediction.values[0]).toBeCloseTo(2 ** 40 + 2 ** 31, -6);
  });

  it("an int32 input refuses 2^31 instead of wrapping it to -2^31, naming the field", async () => {
    const refused = predictor.predictRows([{ n: 1, m: 2 ** 31 }], field);
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(/2147483648 is out of range: input "m" takes int32 integers/);
    await expect(refused).rejects.toMatchObject({ location: { field: "instances[0].m" } });
  });

  it("an int64 input refuses integers past 2^53, which a number cannot hold exactly", async () => {
    const refused = predictor.predictRows([{ n: -(2 ** 53), m: 0 }], field);
    await expect(refused).rejects.toMatchObject({ location: { field: "instances[0].n" } });
    await expect(refused).rejects.toThrow(/out of range: input "n" takes int64 integers/);
  });

  it("a data table's out-of-range cell names its row", async () => {
    const table = {
      columns: ["n", "m"],
      data: [
        ["1", "2"],
        ["5", "-3000000000"],
      ],
    };
    await expect(predictor.predict(table)).rejects.toMatchObject({
      location: { field: "m (data row 2)" },
    });
  });
});
