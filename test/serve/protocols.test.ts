import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, type Prediction, predictRecords } from "../../core/model/index.js";
import type { ModelServer } from "../../core/serve/index.js";
import { predictionRows } from "../../core/serve/rows.js";
import { get, instances, type Json, post, removeAll, serve, trainModels } from "./helpers.js";

let root: string;
let server: ModelServer;
let regression: ModelServer;
let expected: unknown[];
let expectedPrediction: Prediction;

beforeAll(async () => {
  const models = await trainModels();
  root = models.root;
  server = await serve({ modelDir: models.classifier });
  regression = await serve({ modelDir: models.regressor, name: "price" });
  expectedPrediction = predictRecords(await loadModel(models.classifier, { backend: "wasm" }), instances);
  expected = predictionRows(expectedPrediction);
});

afterAll(async () => {
  await server?.close();
  await regression?.close();
  await removeAll(root);
});

const columns = {
  a: instances.map((r) => r.a),
  b: instances.map((r) => r.b),
  color: instances.map((r) => r.color),
  flag: instances.map((r) => r.flag),
};

describe("TensorFlow Serving v1", () => {
  it("predicts rows exactly as predictRecords does on the same rows", async () => {
    const response = await post(`${server.url}/v1/models/churn:predict`, { instances });

    expect(response).toEqual({ status: 200, body: { predictions: expected } });
    expect(response.body.predictions[0]).toEqual({
      label: expect.stringMatching(/^(no|yes)$/),
      probabilities: { no: expect.any(Number), yes: expect.any(Number) },
    });
  });

  it("predicts columnar inputs the same as rows", async () => {
    const response = await post(`${server.url}/v1/models/churn:predict`, { inputs: columns });

    expect(response).toEqual({ status: 200, body: { predictions: expected } });
  });

  it("answers model status", async () => {
    const response = await get(`${server.url}/v1/models/churn`);

    expect(response).toEqual({
      status: 200,
      body: {
        model_version_status: [
          { version: "1", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } },
        ],
      },
    });
  });

  it("gives numbers for a regression model", async () => {
    const rows = [
      { a: 1, b: 0 },
      { a: -1, b: 1 },
    ];
    const response = await post(`${regression.url}/v1/models/price:predict`, { instances: rows });

    expect(response.status).toBe(200);
    expect(response.body.predictions).toHaveLength(2);
    // y = 10 + 3a - 2b: the first row is clearly larger than the second.
    expect(response.body.predictions[0]).toBeGreaterThan(response.body.predictions[1]);
  });
});

describe("Open Inference Protocol v2", () => {
  const tensors = [
    { name: "a", shape: [3], datatype: "FP64", data: columns.a },
    { name: "b", shape: [3, 1], datatype: "FP32", data: columns.b.map((v) => [v]) },
    { name: "color", shape: [3], datatype: "BYTES", data: columns.color },
    { name: "flag", shape: [3], datatype: "BYTES", data: ["true", "false", "true"] },
  ];

  it("infers label and probabilities tensors", async () => {
    const response = await post(`${server.url}/v2/models/churn/infer`, { id: "req-1", inputs: tensors });

    const k = 2;
    expect(response).toEqual({
      status: 200,
      body: {
        model_name: "churn",
        model_version: "1",
        id: "req-1",
        outputs: [
          { name: "label", datatype: "BYTES", shape: [3], data: expected.map((p: Json) => p.label) },
          {
            name: "probabilities",
            datatype: "FP32",
            shape: [3, k],
            data: Array.from(
              expectedPrediction.task === "classification" ? expectedPrediction.probabilities : [],
            ),
          },
        ],
      },
    });
  });

  it("returns only the outputs asked for", async () => {
    const response = await post(`${server.url}/v2/models/churn/infer`, {
      inputs: tensors,
      outputs: [{ name: "label" }],
    });

    expect(response.body.outputs.map((o: { name: string }) => o.name)).toEqual(["label"]);
  });

  it("gives one FP64 predictions tensor for regression", async () => {
    const response = await post(`${regression.url}/v2/models/price/infer`, {
      inputs: [
        { name: "a", shape: [1], datatype: "FP32", data: [0.5] },
        { name: "b", shape: [1], datatype: "INT64", data: [1] },
      ],
    });

    expect(response.status).toBe(200);
    expect(response.body.outputs).toEqual([
      { name: "predictions", datatype: "FP64", shape: [1], data: [expect.any(Number)] },
    ]);
  });

  it("describes the model's inputs from its feature schema", async () => {
    const response = await get(`${server.url}/v2/models/churn`);

    expect(response).toEqual({
      status: 200,
      body: {
        name: "churn",
        versions: ["1"],
        platform: "tensorflowjs_layers",
        inputs: [
          { name: "a", datatype: "FP64", shape: [-1] },
          { name: "b", datatype: "FP64", shape: [-1] },
          { name: "color", datatype: "BYTES", shape: [-1] },
          { name: "flag", datatype: "BOOL", shape: [-1] },
        ],
        outputs: [
          { name: "label", datatype: "BYTES", shape: [-1], parameters: { classes: ["no", "yes"] } },
          { name: "probabilities", datatype: "FP32", shape: [-1, 2] },
        ],
      },
    });
  });

  it("answers health, readiness and server metadata", async () => {
    expect(await get(`${server.url}/v2/health/live`)).toEqual({ status: 200, body: { live: true } });
    expect(await get(`${server.url}/v2/health/ready`)).toEqual({ status: 200, body: { ready: true } });
    expect(await get(`${server.url}/v2/models/churn/ready`)).toEqual({ status: 200, body: { ready: true } });
    expect(await get(`${server.url}/v2`)).toEqual({
      status: 200,
      body: { name: "modelgate", version: expect.any(String), extensions: [] },
    });
  });
});

describe("MLflow /invocations", () => {
  const bodies = {
    dataframe_split: {
      dataframe_split: {
        columns: ["a", "b", "color", "flag"],
        data: instances.map((r) => [r.a, r.b, r.color, r.flag]),
      },
    },
    dataframe_records: { dataframe_records: instances },
    instances: { instances },
    "inputs (rows)": { inputs: instances },
    "inputs (columns)": { inputs: columns },
  };

  for (const [format, body] of Object.entries(bodies)) {
    it(`predicts from ${format}`, async () => {
      const response = await post(`${server.url}/invocations`, body);

      expect(response).toEqual({ status: 200, body: { predictions: expected } });
    });
  }
});

describe("GET /metrics", () => {
  it("counts requests by route and status, latency, predictions per class and errors", async () => {
    await post(`${server.url}/v1/models/churn:predict`, { instances });
    await post(`${server.url}/v1/models/churn:predict`, "{oops");

    const response = await get(`${server.url}/metrics`);

    const text = response.body as string;
    expect(text).toMatch(
      /^modelgate_requests_total\{route="\/v1\/models\/:name:predict",method="POST",status="200"\} [1-9]\d*$/m,
    );
    expect(text).toMatch(
      /^modelgate_requests_total\{route="\/v1\/models\/:name:predict",method="POST",status="400"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^modelgate_request_duration_seconds_bucket\{route="\/v1\/models\/:name:predict",le="\+Inf"\} [1-9]/m,
    );
    expect(text).toMatch(/^modelgate_predictions_total\{model="churn",version="1",class="yes"\} \d+$/m);
    expect(text).toMatch(
      /^modelgate_errors_total\{route="\/v1\/models\/:name:predict",kind="bad_request"\} [1-9]/m,
    );
    expect(text).toContain("# TYPE modelgate_request_duration_seconds histogram");
  });
});
