import { cp, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadPredictor, type Prediction } from "../../core/model/index.js";
import { silentLogger } from "../../core/ports.js";
import { createModelServer, type ModelServer } from "../../core/serve/index.js";
import { repoRoot } from "../helpers/action.js";
import { cli, project } from "../helpers/cli.js";
import { post } from "../serve/helpers.js";

let root: string;
let server: ModelServer;

beforeAll(async () => {
  root = await project({
    "modelgate.yml":
      "version: 1\nname: churn\ndata: { train: data/train.csv, test: data/test.csv, target: churned, id: customer_id }\n",
  });
  await cp(path.join(repoRoot, "examples/churn/data"), path.join(root, "data"), { recursive: true });
  expect(
    (await cli(["import", path.join(repoRoot, "examples/byom/logreg.onnx"), "--out", "model"], root)).code,
  ).toBe(0);
  server = await createModelServer({
    name: "churn",
    modelDir: path.join(root, "model"),
    logger: silentLogger,
    port: 0,
    // Wide enough that requests sent together land in one window even on a loaded machine.
    batchWindowMs: 250,
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

const row = (age: unknown, calls: number) => ({
  age,
  tenure_months: 12,
  monthly_charges: 70.5,
  support_calls: calls,
  has_partner: calls % 2 === 0,
});

it("an imported model micro-batches concurrent requests; a bad one fails alone, naming its field", async () => {
  const good = [0, 1, 2, 3, 4].map((calls) => [row(40 + calls, calls)]);
  const predictor = await loadPredictor(path.join(root, "model"));
  const expected: Prediction = await predictor.predictRows(good.flat(), (r, c) => `${r}.${c}`);
  predictor.dispose();
  const before = server.stats().modelCalls;

  const replies = await Promise.all([
    ...good.map((instances) => post(`${server.url}/v1/models/churn:predict`, { instances })),
    post(`${server.url}/v1/models/churn:predict`, { instances: [row("old", 1)] }),
  ]);

  expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 400]);
  expect(replies[5]!.body.error).toContain("instances[0].age");
  const served = replies
    .slice(0, 5)
    .flatMap((r) => [r.body.predictions[0].probabilities.no, r.body.predictions[0].probabilities.yes]);
  const want = expected.task === "classification" ? Array.from(expected.probabilities) : [];
  expect(Math.max(...served.map((p, i) => Math.abs(p - want[i]!)))).toBeLessThan(1e-6);
  // Good rows were scored even though they shared a window with the bad one.
  expect(server.stats().modelCalls - before).toBeGreaterThanOrEqual(1);
});

it("concurrent good requests share model calls", async () => {
  const before = server.stats().modelCalls;

  const replies = await Promise.all(
    [0, 1, 2, 3].map((calls) =>
      post(`${server.url}/v1/models/churn:predict`, { instances: [row(30, calls)] }),
    ),
  );

  expect(replies.every((r) => r.status === 200)).toBe(true);
  expect(server.stats().modelCalls - before).toBeLessThan(4);
});
