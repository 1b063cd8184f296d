import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelServer } from "../../core/serve/index.js";
import { get, instances, post, removeAll, serve, trainModels } from "./helpers.js";

let root: string;
let classifier: string;
let server: ModelServer;
const MAX_BODY = 4096;

beforeAll(async () => {
  const models = await trainModels();
  root = models.root;
  classifier = models.classifier;
  server = await serve({ modelDir: models.classifier, maxBodyBytes: MAX_BODY });
});

afterAll(async () => {
  await server?.close();
  await removeAll(root);
});

const row = instances[0]!;
const tensor = (name: string, datatype: string, data: unknown[]) => ({
  name,
  shape: [data.length],
  datatype,
  data,
});
const tensors = [
  tensor("a", "FP64", [1]),
  tensor("b", "FP64", [2]),
  tensor("color", "BYTES", ["red"]),
  tensor("flag", "BOOL", [true]),
];

describe("bad requests are 400 naming the field", () => {
  const cases: [string, string, unknown, string][] = [
    ["bad JSON", "/v1/models/churn:predict", "{not json", "body: not valid JSON"],
    ["neither instances nor inputs", "/v1/models/churn:predict", { rows: [] }, "Unrecognized key"],
    [
      "both instances and inputs",
      "/v1/models/churn:predict",
      { instances: [row], inputs: { a: [1] } },
      "not both",
    ],
    ["a row that is not an object", "/v1/models/churn:predict", { instances: [row, 5] }, "instances[1]:"],
    [
      "a wrong type",
      "/v1/models/churn:predict",
      { instances: [row, row, { ...row, a: "abc" }] },
      'instances[2].a: expected a number or null, found "abc"',
    ],
    [
      "an unknown column",
      "/v1/models/churn:predict",
      { instances: [{ ...row, zip: 1 }] },
      "instances[0].zip: unknown column",
    ],
    [
      "a missing column",
      "/v1/models/churn:predict",
      { instances: [{ a: 1, b: 2, flag: true }] },
      "instances[0].color: missing column",
    ],
    [
      "a wrong boolean",
      "/v1/models/churn:predict",
      { instances: [{ ...row, flag: "maybe" }] },
      "instances[0].flag: expected true, false or null",
    ],
    [
      "a missing column (columns)",
      "/v1/models/churn:predict",
      { inputs: { a: [1], b: [2], flag: [true] } },
      "inputs: missing column(s) color",
    ],
    [
      "an unknown column (columns)",
      "/v1/models/churn:predict",
      { inputs: { a: [1], b: [2], color: ["red"], flag: [true], zip: [1] } },
      "inputs.zip: unknown column",
    ],
    [
      "uneven columns",
      "/v1/models/churn:predict",
      { inputs: { a: [1, 2], b: [2], color: ["red"], flag: [true] } },
      "inputs.b: 1 values, but inputs.a has 2",
    ],
    [
      "a wrong type (columns)",
      "/v1/models/churn:predict",
      { inputs: { a: [1, "x"], b: [2, 3], color: ["red", "red"], flag: [true, true] } },
      'inputs.a[1]: expected a number or null, found "x"',
    ],
    [
      "v2: a value of the wrong datatype",
      "/v2/models/churn/infer",
      { inputs: [tensors[0], tensor("b", "FP64", ["x"]), tensors[2], tensors[3]] },
      'inputs[1].data[0]: expected FP64, found "x"',
    ],
    [
      "v2: a value that does not parse",
      "/v2/models/churn/infer",
      { inputs: [tensor("a", "BYTES", ["abc"]), tensors[1], tensors[2], tensors[3]] },
      'inputs[0].data[0] (a): expected a number or null, found "abc"',
    ],
    [
      "v2: a missing input",
      "/v2/models/churn/infer",
      { inputs: tensors.slice(0, 3) },
      "inputs: missing column(s) flag",
    ],
    [
      "v2: an unknown input",
      "/v2/models/churn/infer",
      { inputs: [...tensors, tensor("zip", "INT64", [1])] },
      "inputs[4].name: unknown column",
    ],
    [
      "v2: shape and data disagree",
      "/v2/models/churn/infer",
      { inputs: [{ ...tensors[0], shape: [2] }, ...tensors.slice(1)] },
      "inputs[0].data: 1 values, but shape [2] says 2",
    ],
    [
      "v2: an unknown datatype",
      "/v2/models/churn/infer",
      { inputs: [{ ...tensors[0], datatype: "FP128" }] },
      "inputs[0].datatype:",
    ],
    [
      "v2: an unknown output",
      "/v2/models/churn/infer",
      { inputs: tensors, outputs: [{ name: "logits" }] },
      'outputs[0].name: unknown output "logits"',
    ],
    ["mlflow: no format", "/invocations", { params: {} }, "expected exactly one of"],
    [
      "JSON nested deeper than the protocols go",
      "/v1/models/churn:predict",
      `{"instances":["[[[[",${"[".repeat(70)}${"]".repeat(70)}]}`,
      "body: JSON nested deeper than 64 levels (at byte 83)",
    ],
    [
      "v2: JSON nested deeper than the protocols go",
      "/v2/models/churn/infer",
      `{"inputs":[${"{".repeat(100)}`,
      "body: JSON nested deeper than 64 levels",
    ],
    [
      "mlflow: a short row",
      "/invocations",
      { dataframe_split: { columns: ["a", "b", "color", "flag"], data: [[1, 2, "red"]] } },
      "dataframe_split.data[0]: 3 values",
    ],
    [
      "mlflow: a wrong type",
      "/invocations",
      { dataframe_split: { columns: ["b", "a", "color", "flag"], data: [[1, "abc", "red", true]] } },
      'dataframe_split.data[0][1] (a): expected a number or null, found "abc"',
    ],
    [
      "mlflow: a wrong type in records",
      "/invocations",
      { dataframe_records: [row, { ...row, b: [] }] },
      "dataframe_records[1].b: expected a number or null",
    ],
  ];

  for (const [what, route, body, message] of cases) {
    it(what, async () => {
      const response = await post(`${server.url}${route}`, body);

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: expect.stringContaining(message) });
    });
  }
});

describe("refusals", () => {
  it("answers 400, not 500, to a row value nested 100,000 deep in every protocol", async () => {
    const roomy = await serve({ modelDir: classifier, maxBodyBytes: 1024 * 1024 });
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const bodies: [string, string][] = [
      ["/v1/models/churn:predict", `{"instances":[{"a":${deep}}]}`],
      ["/v2/models/churn/infer", `{"inputs":[{"name":"a","shape":[1],"datatype":"FP64","data":${deep}}]}`],
      ["/invocations", `{"dataframe_records":[{"a":${deep}}]}`],
    ];

    const statuses = [];
    for (const [route, body] of bodies) statuses.push((await post(`${roomy.url}${route}`, body)).status);
    await roomy.close();

    expect(statuses).toEqual([400, 400, 400]);
  });

  it("refuses a body over the limit with 413, from Content-Length", async () => {
    const big = { instances: Array.from({ length: 200 }, () => row) };

    const response = await post(`${server.url}/v1/models/churn:predict`, big);

    expect(response).toEqual({
      status: 413,
      body: { error: `the request body is larger than the limit of ${MAX_BODY} bytes` },
    });
  });

  it("refuses a chunked body once it passes the limit, before reading the rest", async () => {
    const result = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${server.url}/v1/models/churn:predict`, { method: "POST" }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      req.write(`{"instances":[${JSON.stringify(row)}`);
      req.write(`,${JSON.stringify(row)}`.repeat(100));
    });

    expect(result.status).toBe(413);
    expect(JSON.parse(result.text)).toEqual({ error: expect.stringContaining("larger than the limit") });
  });

  it("404s an unknown route, model name and version", async () => {
    expect(await get(`${server.url}/v3/nothing`)).toEqual({
      status: 404,
      body: { error: "no route for /v3/nothing" },
    });
    expect(await post(`${server.url}/v1/models/other:predict`, { instances: [row] })).toEqual({
      status: 404,
      body: { error: 'model "other" not found; this server serves "churn"' },
    });
    expect((await get(`${server.url}/v2/models/churn/versions/7`)).status).toBe(404);
    expect((await get(`${server.url}/v2/models/other`)).status).toBe(404);
  });

  it("405s a wrong method, naming the allowed one", async () => {
    const response = await fetch(`${server.url}/v1/models/churn:predict`);

    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toEqual({ error: expect.stringContaining("GET is not allowed") });
  });

  it("survives a client that hangs up halfway through a body", async () => {
    const req = request(`${server.url}/v1/models/churn:predict`, {
      method: "POST",
      headers: { "content-length": 1000 },
    });
    req.on("error", () => {});
    req.write('{"instances": [');
    await new Promise((resolve) => setTimeout(resolve, 20));

    req.destroy();
    const response = await post(`${server.url}/v1/models/churn:predict`, { instances: [row] });

    expect(response.status).toBe(200);
  });

  it("keeps serving after every refusal", async () => {
    const response = await post(`${server.url}/v1/models/churn:predict`, { instances: [row] });

    expect(response.status).toBe(200);
  });
});
