import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FakeResults, startFakeResults, unzip } from "../fake-github/artifacts.js";
import { runAction } from "../helpers/action.js";
import { project } from "../helpers/cli.js";

function rows(n: number, seed: number, flip = false): string {
  let s = seed;
  const random = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const lines = ["x1,x2,y"];
  for (let i = 0; i < n; i++) {
    const [a, b] = [random() * 2 - 1, random() * 2 - 1];
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${(a + b > 0) !== (flip && i % 2 === 0) ? "yes" : "no"}`);
  }
  return `${lines.join("\n")}\n`;
}
const config = [
  "version: 1",
  "name: toy",
  "data: { train: train.csv, test: test.csv, target: y }",
  "model: { hidden: [8], epochs: 10, batchSize: 32, learningRate: 0.02, dropout: 0 }",
  "gates: [{ metric: accuracy, min: 0.8 }]",
  "",
].join("\n");

describe("actions train, evaluate and report (dist/, as the runner runs them)", () => {
  let results: FakeResults;
  beforeAll(async () => {
    results = await startFakeResults();
  });
  afterAll(() => results.close());

  test("train -> evaluate uploads the modelgate-report artifact -> report renders it", async () => {
    const workspace = await project({
      "modelgate.yml": config,
      "train.csv": rows(400, 7),
      "test.csv": rows(200, 9),
    });
    const env = {
      ACTIONS_RUNTIME_TOKEN: results.token,
      ACTIONS_RESULTS_URL: results.url,
      GITHUB_SERVER_URL: "https://github.com",
    };

    const train = await runAction("train", { out: "model" }, { workspace, env });
    const evaluate = await runAction("evaluate", { model: train.outputs.model ?? "" }, { workspace, env });
    const report = await runAction("report", { report: evaluate.outputs.report ?? "" }, { workspace, env });

    expect(train.code, train.stdout).toBe(0);
    expect(train.outputs.model).toMatch(/model$/);
    expect(evaluate.code, evaluate.stdout).toBe(0);
    expect(evaluate.outputs.passed).toBe("true");
    expect(JSON.parse(evaluate.outputs.metrics ?? "{}").accuracy).toBeGreaterThan(0.8);
    expect(evaluate.summary).toContain("<!-- modelgate:report -->");
    const zip = results.artifacts.get("modelgate-report");
    expect(zip).toBeDefined();
    const files = await unzip(zip!);
    expect(Object.keys(files).sort()).toEqual(["report.html", "report.json", "report.md"]);
    expect(JSON.parse(files["report.json"]!).model).toBe("toy");
    expect(report.code).toBe(0);
    expect(await readFile(report.outputs.markdown ?? "", "utf8")).toContain("toy");
  });

  test("a failed gate fails the evaluate step with exit 1 and names the gate", async () => {
    const workspace = await project({
      "modelgate.yml": config,
      "train.csv": rows(400, 7, true),
      "test.csv": rows(200, 9),
    });

    await runAction("train", { out: "model" }, { workspace });
    const evaluate = await runAction("evaluate", { model: "model", upload: "false" }, { workspace });

    expect(evaluate.code).toBe(1);
    expect(evaluate.outputs.passed).toBe("false");
    expect(evaluate.stdout).toContain("gate failed: accuracy min");
  });

  test("evaluate without a model input is a usage error (exit 2)", async () => {
    const workspace = await project({ "modelgate.yml": config });

    const evaluate = await runAction("evaluate", {}, { workspace });

    expect(evaluate.code).toBe(2);
    expect(evaluate.stdout).toContain("input 'model'");
  });

  test("train takes model: overrides from `params` (a retrain dispatch's args); unknown keys are refused", async () => {
    const workspace = await project({
      "modelgate.yml": config,
      "train.csv": rows(200, 3),
      "test.csv": rows(50, 4),
    });

    const ok = await runAction("train", { out: "model", params: '{"epochs":2,"hidden":[4]}' }, { workspace });
    const bad = await runAction("train", { params: '{"epochs":2,"colour":"red"}' }, { workspace });

    expect(ok.code, ok.stdout).toBe(0);
    const manifest = JSON.parse(await readFile(`${workspace}/model/modelgate.json`, "utf8"));
    expect(manifest.run.params).toMatchObject({ epochs: 2, hidden: [4], learningRate: 0.02 });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("colour");
  });
});
