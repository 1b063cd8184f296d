import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../core/ports.js";
import { openPredictionLog } from "../../core/serve/log.js";
import { instances, type Json, post, removeAll, serve, trainModels } from "./helpers.js";

let root: string;
let classifier: string;

beforeAll(async () => {
  ({ root, classifier } = await trainModels());
});

afterAll(async () => {
  await removeAll(root);
});

async function lines(file: string): Promise<Json[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe("prediction log", () => {
  it("has one line per predicted row with flat raw inputs, flushed on close", async () => {
    const file = path.join(root, "logs", "predictions.jsonl");
    const server = await serve({ modelDir: classifier, predictionLog: { file } });

    const response = await fetch(`${server.url}/v1/models/churn:predict`, {
      method: "POST",
      headers: { "x-request-id": "abc-1" },
      body: JSON.stringify({ instances }),
    }).then((r) => r.json() as Promise<Json>);
    await post(`${server.url}/v1/models/churn:predict`, { instances: [{ ...instances[0], a: "bad" }] });
    await server.close();
    const logged = await lines(file);

    expect(logged).toEqual(
      instances.map((row, i) => ({
        requestId: "abc-1",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        model: "churn",
        version: "1",
        // Each row of a batched request has its own id for late labels: requestId:row.
        row: i,
        inputs: row,
        outputs: response.predictions[i],
      })),
    );
  });

  it("rotates by size and keeps N files", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "modelgate-log-"));
    const file = path.join(dir, "p.jsonl");
    const log = await openPredictionLog({ file, maxBytes: 2000, keep: 2, flushIntervalMs: 1 }, silentLogger);
    const prediction = { task: "regression" as const, values: new Float64Array([1.5]) };

    for (let i = 0; i < 100; i++) {
      log.append({
        requestId: `r${i}`,
        time: 0,
        model: "m",
        version: "1",
        rows: [{ a: i }],
        columns: ["a"],
        prediction,
      });
      if (i % 10 === 0) await log.flush();
    }
    await log.close();
    const files = (await readdir(dir)).sort();
    const sizes = await Promise.all(files.map(async (f) => (await readFile(path.join(dir, f))).length));
    const newest = await lines(file);
    await rm(dir, { recursive: true, force: true });

    expect(files).toEqual(["p.jsonl", "p.jsonl.1", "p.jsonl.2"]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2000);
    expect(newest.at(-1)).toEqual({
      requestId: "r99",
      row: 0,
      time: "1970-01-01T00:00:00.000Z",
      model: "m",
      version: "1",
      inputs: { a: 99 },
      outputs: 1.5,
    });
  });

  it("drops rows past the memory bound instead of holding them, and counts them", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "modelgate-log-"));
    const log = await openPredictionLog({ file: path.join(dir, "p.jsonl"), maxPendingRows: 2 }, silentLogger);
    const prediction = { task: "regression" as const, values: new Float64Array([1]) };

    for (let i = 0; i < 5; i++) {
      log.append({
        requestId: "r",
        time: 0,
        model: "m",
        version: "1",
        rows: [{ a: i }],
        columns: ["a"],
        prediction,
      });
    }
    await log.close();
    const written = await lines(path.join(dir, "p.jsonl"));
    await rm(dir, { recursive: true, force: true });

    expect(log.dropped).toBe(3);
    expect(written.map((l) => l.inputs.a)).toEqual([0, 1]);
  });
});
