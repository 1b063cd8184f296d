import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelServer } from "../../core/serve/index.js";
import { get, instances, type Json, post, removeAll, serve, trainModels } from "./helpers.js";

let root: string;
let server: ModelServer;
let broken: ModelServer;
let named: ModelServer;

beforeAll(async () => {
  const models = await trainModels();
  root = models.root;
  server = await serve({ modelDir: models.classifier });
  // A model whose weights diverged: every prediction is NaN.
  const diverged = path.join(root, "diverged");
  await cp(models.classifier, diverged, { recursive: true });
  const weights = await readFile(path.join(diverged, "weights.bin"));
  for (let i = 0; i < weights.length; i += 4) weights.writeFloatLE(Number.NaN, i);
  await writeFile(path.join(diverged, "weights.bin"), weights);
  broken = await serve({ modelDir: diverged });
  // A model whose run record names its project, served with no name given.
  const recorded = path.join(root, "recorded");
  await cp(models.classifier, recorded, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(recorded, "modelgate.json"), "utf8"));
  await writeFile(
    path.join(recorded, "modelgate.json"),
    JSON.stringify({ ...manifest, run: { name: "fraud" } }),
  );
  named = await serve({ modelDir: recorded, name: undefined, defaultName: "from-config" });
});

afterAll(async () => {
  await Promise.all([server?.close(), broken?.close(), named?.close()]);
  await removeAll(root);
});

describe("no non-finite answers", () => {
  it("answers 422 naming the cell whose value overflows once scaled", async () => {
    const rows = [instances[0], { ...instances[1], a: 1e300 }];

    const response = await post(`${server.url}/v1/models/churn:predict`, { instances: rows });

    expect(response.status).toBe(422);
    expect(response.body.error).toMatch(
      /^instances\[1\]\.a: 1e\+300 is outside the range this model computes with/,
    );
  });

  it("answers 422 naming the row when the model's prediction is NaN, never 200 with null", async () => {
    const response = await post(`${broken.url}/v1/models/churn:predict`, { instances });
    const mlflow = await post(`${broken.url}/invocations`, { dataframe_records: instances });

    expect(response).toEqual({
      status: 422,
      body: {
        error:
          "instances[0]: the model's prediction for this row is NaN, not a finite number (its weights may have diverged); no prediction for this row",
      },
    });
    expect(mlflow.status).toBe(422);
    expect(mlflow.body.error).toMatch(/^dataframe_records\[0\]: /);
  });
});

describe("serving polish", () => {
  it("names the model after its run record when no name is given", async () => {
    const byRecord = await post(`${named.url}/v1/models/fraud:predict`, { instances });
    const byOldDefault = await post(`${named.url}/v1/models/model:predict`, { instances });

    expect(byRecord.status).toBe(200);
    expect(byOldDefault.status).toBe(404);
    expect(named.model().name).toBe("fraud");
  });

  it("serves TF Serving's model metadata (the serving_default signature)", async () => {
    const response = await get(`${server.url}/v1/models/churn/metadata`);
    const missing = await get(`${server.url}/v1/models/other/metadata`);

    expect(response.status).toBe(200);
    const signature: Json = response.body.metadata.signature_def.signature_def.serving_default;
    expect(response.body.model_spec).toEqual({ name: "churn", signature_name: "", version: "1" });
    expect(Object.keys(signature.inputs)).toEqual(["a", "b", "color", "flag"]);
    expect(signature.inputs.color.dtype).toBe("DT_STRING");
    expect(signature.outputs.probabilities.tensor_shape.dim).toEqual([
      { size: "-1", name: "" },
      { size: "2", name: "" },
    ]);
    expect(signature.method_name).toBe("tensorflow/serving/predict");
    expect(missing.status).toBe(404);
  });

  it("takes MLflow's text/csv input and answers GET /version", async () => {
    const csv = 'a,b,color,flag\n2.9,0.1,red,true\n-3.1,0.2,"blue",false\n,-0.4,green,true\n';
    const json = await post(`${server.url}/invocations`, { dataframe_records: instances });

    const response = await fetch(`${server.url}/invocations`, {
      method: "POST",
      headers: { "content-type": "text/csv; charset=utf-8" },
      body: csv,
    });
    const ragged = await fetch(`${server.url}/invocations`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: "a,b,color,flag\n1,2\n",
    });
    const version = await fetch(`${server.url}/version`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(json.body);
    expect(ragged.status).toBe(400);
    expect(await ragged.json()).toEqual({ error: "csv row 1: 2 values, but the header names 4" });
    expect(version.status).toBe(200);
    expect(await version.text()).toBe("0.1.0");
  });

  it("answers HEAD on health and other GET routes without a body", async () => {
    const urls = ["/v2/health/live", "/v2/health/ready", "/ping", "/health", "/v1/models/churn"];

    const responses = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(`${server.url}${url}`, { method: "HEAD" });
        return [url, response.status, await response.text()];
      }),
    );
    const post405 = await fetch(`${server.url}/ping`, { method: "POST" });

    expect(responses).toEqual(urls.map((url) => [url, 200, ""]));
    expect(post405.status).toBe(405);
    expect(post405.headers.get("allow")).toBe("GET, HEAD");
  });
});
