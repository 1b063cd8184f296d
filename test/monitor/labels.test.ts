import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { silentLogger } from "../../core/ports.js";
import { openPredictionLog } from "../../core/serve/log.js";
import { categories, mulberry32, normals } from "../drift/helpers.js";
import { modelFolder } from "../drift/model-fixture.js";
import { cli } from "../helpers/cli.js";

const REQUESTS = 20;
const ROWS_PER_REQUEST = 50;

/**
 * 1,000 rows sent in 20 batched requests, logged by the server's own log writer; the truth of each
 * row, and whether the logged label was right (90% of rows).
 */
async function servedLog(file: string, options: { id?: string } = {}) {
  const log = await openPredictionLog({ file, flushIntervalMs: 1 }, silentLogger);
  const random = mulberry32(7);
  const ages = normals(REQUESTS * ROWS_PER_REQUEST, 8);
  const plans = categories(REQUESTS * ROWS_PER_REQUEST, 9, ["basic", "pro"], [3, 1]);
  const truth: Array<{ requestId: string; row: number; customer: string; actual: string }> = [];
  for (let q = 0; q < REQUESTS; q++) {
    const rows: Record<string, unknown>[] = [];
    const probabilities = new Float32Array(ROWS_PER_REQUEST * 2);
    for (let r = 0; r < ROWS_PER_REQUEST; r++) {
      const i = q * ROWS_PER_REQUEST + r;
      const actual = random() < 0.2 ? "yes" : "no";
      const right = random() < 0.9;
      const yes = (actual === "yes") === right;
      probabilities[2 * r] = yes ? 0.2 : 0.8;
      probabilities[2 * r + 1] = yes ? 0.8 : 0.2;
      rows.push({ age: Math.round(40 + 10 * ages[i]!), plan: plans[i], customer: `c${i}` });
      truth.push({ requestId: `req-${q}`, row: r, customer: `c${i}`, actual });
    }
    log.append({
      requestId: `req-${q}`,
      time: Date.UTC(2025, 0, 1, 0, q),
      model: "churn",
      version: "3",
      rows,
      columns: ["age", "plan", ...(options.id ? [options.id] : [])],
      prediction: { task: "classification", classes: ["no", "yes"], probabilities },
    });
  }
  await log.close();
  return truth;
}

const CONFIG = (extra = "") =>
  `version: 1\nname: churn\ndata: { train: t.csv, target: churned${extra} }\ngates:\n  - { metric: accuracy, min: 0.8 }\n`;

describe("live performance joins one label per logged row", () => {
  test("1,000 rows in 20 requests, labels keyed requestId:row: all 1,000 labelled, performance holds", async () => {
    const model = await modelFolder();
    const cwd = path.dirname(model);
    const truth = await servedLog(path.join(cwd, "log.jsonl"));
    const labels = truth.map((t) => `${t.requestId}:${t.row},${t.actual}`);
    await writeFile(path.join(cwd, "labels.csv"), `id,churned\n${labels.join("\n")}\n`);
    await writeFile(path.join(cwd, "modelgate.yml"), CONFIG());

    const run = await cli(
      ["drift", "--json", "--model", "model", "--log", "log.jsonl", "--labels", "labels.csv"],
      cwd,
    );

    const performance = JSON.parse(run.stdout).performance;
    expect(performance).toMatchObject({
      key: "id",
      labelled: 1000,
      unlabelled: 0,
      missingIds: 0,
      tooFewLabels: false,
      degraded: false,
    });
    expect(performance.metrics.accuracy).toBeGreaterThan(0.85);
  });

  test("labels keyed by the data.id column join on each row's own id by default", async () => {
    const model = await modelFolder();
    const cwd = path.dirname(model);
    const truth = await servedLog(path.join(cwd, "log.jsonl"), { id: "customer" });
    const labels = truth.map((t) => `${t.customer},${t.actual}`);
    await writeFile(path.join(cwd, "labels.csv"), `customer,churned\n${labels.join("\n")}\n`);
    await writeFile(path.join(cwd, "modelgate.yml"), CONFIG(", id: customer"));

    const run = await cli(
      ["drift", "--json", "--model", "model", "--log", "log.jsonl", "--labels", "labels.csv"],
      cwd,
    );

    expect(JSON.parse(run.stdout).performance).toMatchObject({ key: "customer", labelled: 1000 });
  });

  test("fewer matched labels than --min-labels: 'too few labels', gates not judged, said out loud", async () => {
    const model = await modelFolder();
    const cwd = path.dirname(model);
    const truth = await servedLog(path.join(cwd, "log.jsonl"));
    const ten = truth.slice(0, 10).map((t) => `${t.requestId}:${t.row},${t.actual}`);
    await writeFile(path.join(cwd, "labels.csv"), `id,churned\n${ten.join("\n")}\n`);
    await writeFile(path.join(cwd, "modelgate.yml"), CONFIG());

    const json = await cli(
      ["drift", "--json", "--model", "model", "--log", "log.jsonl", "--labels", "labels.csv"],
      cwd,
    );
    const text = await cli(
      ["drift", "--model", "model", "--log", "log.jsonl", "--labels", "labels.csv"],
      cwd,
    );

    expect(JSON.parse(json.stdout).performance).toMatchObject({
      key: "id",
      labelled: 10,
      missingIds: 0,
      minLabels: 30,
      tooFewLabels: true,
      gates: [],
      degraded: false,
    });
    expect(text.stdout).toContain("live performance: too few labels (30 needed) on 10 labelled rows");
    expect(text.stderr).toContain("too few labels: 10 log rows matched a label (by 'id'), 30 needed");
  });

  test("no label joined at all is bad input (exit 2) naming the key column and both files", async () => {
    const model = await modelFolder();
    const cwd = path.dirname(model);
    const truth = await servedLog(path.join(cwd, "log.jsonl"));
    // Labels keyed by the request id alone cannot tell a batch's rows apart: none of them match.
    const byRequest = truth.filter((t) => t.row === 0).map((t) => `${t.requestId},${t.actual}`);
    await writeFile(path.join(cwd, "labels.csv"), `requestId,churned\n${byRequest.join("\n")}\n`);
    await writeFile(path.join(cwd, "modelgate.yml"), CONFIG());

    const run = await cli(["drift", "--model", "model", "--log", "log.jsonl", "--labels", "labels.csv"], cwd);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "labels.csv: --label-key: no label joined to log.jsonl: of 20 labels keyed by 'requestId', 20 name an id the log does not hold; 'requestId' must hold the ids the server logged (requestId, or requestId:row for a batch; set --label-key)",
    );
  });
});
