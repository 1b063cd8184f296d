import { cp, readFile, writeFile } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { loadModel, predictRecords } from "../../core/model/index.js";
import { memoryLogger } from "../../core/ports.js";
import { predictionRows } from "../../core/serve/rows.js";
import { instances, type Json, post, removeAll, serve, trainModels } from "./helpers.js";

let root: string;
let classifier: string;
let regressor: string;

beforeAll(async () => {
  ({ root, classifier, regressor } = await trainModels());
});

afterAll(async () => {
  await removeAll(root);
});

describe("micro-batching", () => {
  it("answers 50 concurrent requests correctly with fewer model calls than requests", async () => {
    const server = await serve({ modelDir: classifier });
    const rows = Array.from({ length: 50 }, (_, i) => ({
      a: i / 10 - 2.5,
      b: (i % 7) - 3,
      color: "red",
      flag: i % 2 === 0,
    }));
    const expected = predictionRows(predictRecords(await loadModel(classifier, { backend: "wasm" }), rows));

    const responses = await Promise.all(
      rows.map((row) => post(`${server.url}/v1/models/churn:predict`, { instances: [row] })),
    );
    const { requests, modelCalls } = server.stats();
    await server.close();

    expect(responses.map((r) => r.body.predictions[0])).toEqual(expected);
    expect(requests).toBe(50);
    expect(modelCalls).toBeLessThan(50);
  });

  it("a bad request in a batch fails alone", async () => {
    const server = await serve({ modelDir: classifier, batchWindowMs: 5 });

    const [good, bad] = await Promise.all([
      post(`${server.url}/v1/models/churn:predict`, { instances }),
      post(`${server.url}/v1/models/churn:predict`, { instances: [{ ...instances[0], a: "x" }] }),
    ]);
    await server.close();

    expect(good.status).toBe(200);
    expect(good.body.predictions).toHaveLength(3);
    expect(bad.status).toBe(400);
  });
});

describe("close()", () => {
  it("drains a request in flight, then refuses new connections", async () => {
    const server = await serve({ modelDir: classifier });
    const body = JSON.stringify({ instances });
    let req!: ReturnType<typeof request>;
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = request(
        `${server.url}/v1/models/churn:predict`,
        { method: "POST", headers: { "content-length": body.length } },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
    });
    // Half the body: the server has the request but not all of it when close() starts.
    req.write(body.slice(0, 10));
    await waitFor(() => server.stats().requests === 1);

    const closed = server.close();
    req.end(body.slice(10));
    const response = await answered;
    await closed;
    const after = await fetch(`${server.url}/v2/health/live`).then(
      () => "answered",
      () => "refused",
    );

    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).predictions).toHaveLength(3);
    expect(after).toBe("refused");
  });
});

describe("reload()", () => {
  it("swaps in a new version atomically", async () => {
    const dir = path.join(root, "swap");
    await cp(classifier, dir, { recursive: true });
    const server = await serve({ modelDir: dir });
    const before = await post(`${server.url}/v1/models/churn:predict`, { instances });

    await server.reload();
    const after = await post(`${server.url}/v1/models/churn:predict`, { instances });
    const status = (await fetch(`${server.url}/v1/models/churn`).then((r) => r.json())) as Json;
    await server.close();

    expect(server.model().version).toBe("2");
    expect(status.model_version_status[0].version).toBe("2");
    expect(after.body).toEqual(before.body);
  });

  it("follows a loader to another model, and polls it for a moved alias", async () => {
    let target = { dir: classifier, version: "7" };
    const server = await serve({ loader: async () => target, pollIntervalMs: 20 });
    const first = await post(`${server.url}/v2/models/churn/infer`, {
      inputs: [
        { name: "a", shape: [1], datatype: "FP64", data: [1] },
        { name: "b", shape: [1], datatype: "FP64", data: [1] },
        { name: "color", shape: [1], datatype: "BYTES", data: ["red"] },
        { name: "flag", shape: [1], datatype: "BOOL", data: [true] },
      ],
    });

    target = { dir: regressor, version: "8" };
    await waitFor(() => server.model().version === "8");
    const second = await post(`${server.url}/v1/models/churn:predict`, { instances: [{ a: 1, b: 1 }] });
    await server.close();

    expect(first.body.model_version).toBe("7");
    expect(second.status).toBe(200);
    expect(second.body.predictions).toEqual([expect.any(Number)]);
  });

  it("keeps serving the old version when the new one cannot be loaded", async () => {
    let target = { dir: classifier, version: "1" };
    const server = await serve({ loader: async () => target });

    target = { dir: path.join(root, "missing"), version: "2" };
    const error = await server.reload().catch((e: unknown) => e);
    const response = await post(`${server.url}/v1/models/churn:predict`, { instances });
    await server.close();

    expect(error).toBeInstanceOf(UserError);
    expect(server.model().version).toBe("1");
    expect(response.status).toBe(200);
  });
});

describe("refusing to start", () => {
  it("refuses a model folder whose weight path leaves it", async () => {
    const dir = path.join(root, "escape");
    await cp(classifier, dir, { recursive: true });
    const modelJson = JSON.parse(await readFile(path.join(dir, "model.json"), "utf8"));
    modelJson.weightsManifest[0].paths = ["../classifier/weights.bin"];
    await writeFile(path.join(dir, "model.json"), JSON.stringify(modelJson));

    const error = await serve({ modelDir: dir }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'weight path "../classifier/weights.bin" leaves the model folder',
    );
    expect((error as UserError).location.file).toBe(path.join(dir, "model.json"));
  });

  it("refuses a model name that cannot be a URL segment", async () => {
    const error = await serve({ modelDir: classifier, name: "a/b" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location.field).toBe("name");
  });

  it("refuses a port in use, naming it", async () => {
    const first = await serve({ modelDir: classifier, logger: memoryLogger() });
    const port = Number(new URL(first.url).port);

    const error = await serve({ modelDir: classifier, port }).catch((e: unknown) => e);
    await first.close();

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(`cannot listen on 127.0.0.1:${port}: the port is in use`);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error("condition never became true");
}
