import { readFile, truncate } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { judgeReport } from "../../core/gate/index.js";
import { parseReport } from "../../core/report/index.js";
import { cli, project } from "../helpers/cli.js";

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A learnable table: y = "yes" when x1 + x2 > 0 (with a categorical that helps a little). */
function table(rows: number, seed: number, options: { labels?: (i: number) => string } = {}): string {
  const random = mulberry32(seed);
  const lines = ["id,x1,x2,color,y"];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 2 - 1;
    const x2 = random() * 2 - 1;
    const color = ["red", "green", "blue"][Math.floor(random() * 3)];
    const label = options.labels?.(i) ?? (x1 + x2 > 0 ? "yes" : "no");
    lines.push(`${i},${x1.toFixed(4)},${x2.toFixed(4)},${color},${label}`);
  }
  return `${lines.join("\n")}\n`;
}

const config = (extra = "") =>
  [
    "version: 1",
    "name: toy",
    "data: { train: train.csv, test: test.csv, target: y, id: id }",
    "model: { hidden: [8], epochs: 15, batchSize: 32, learningRate: 0.01, backend: cpu, dropout: 0 }",
    "gates:",
    "  - { metric: accuracy, min: 0.8 }",
    "  - { metric: accuracy, maxDrop: 0.02 }",
    extra,
  ].join("\n");

describe("train and evaluate through the CLI", () => {
  let dir: string;
  let champion: string;

  beforeAll(async () => {
    dir = await project({ "modelgate.yml": config(), "train.csv": table(600, 1), "test.csv": table(300, 2) });
    const trained = await cli(["train", "--out", "champion", "--json"], dir);
    expect(trained.code, trained.stderr).toBe(0);
    champion = path.join(dir, "champion");
  });

  test("train writes the model folder and a tracked run", async () => {
    const files = await Promise.all(
      ["model.json", "weights.bin", "modelgate.json", "profile.json"].map((f) =>
        readFile(path.join(champion, f)),
      ),
    );

    const runs = await cli(["runs", "list", "--json"], dir);

    expect(files.every((f) => f.length > 0)).toBe(true);
    const [run] = JSON.parse(runs.stdout);
    expect(run).toMatchObject({ kind: "train", name: "toy", backend: "cpu", status: "finished" });
    expect(run.data.train).toMatchObject({ rows: 600, fingerprint: expect.stringMatching(/^sha256:/) });
    expect(run.history.length).toBeGreaterThan(0);
  });

  test("two trainings with the same seed give identical metrics", async () => {
    await cli(["train", "--out", "again"], dir);

    const a = await cli(["evaluate", "--model", "champion", "--json"], dir);
    const b = await cli(["evaluate", "--model", "again", "--json"], dir);

    expect(JSON.parse(a.stdout).metrics).toEqual(JSON.parse(b.stdout).metrics);
  });

  test("the CLI's baseline: the registry's champion by default, a folder, or --champion none", async () => {
    const first = await cli(["evaluate", "--model", "champion", "--json"], dir);
    await cli(["registry", "register", "champion"], dir);
    await cli(["registry", "promote", "toy", "1"], dir);
    const registry = await cli(["evaluate", "--model", "again", "--json"], dir);
    const none = await cli(["evaluate", "--model", "again", "--champion", "none", "--json"], dir);
    const folder = await cli(["evaluate", "--model", "again", "--champion", "champion", "--json"], dir);

    expect(JSON.parse(first.stdout).baseline).toEqual({ kind: "first" });
    expect(JSON.parse(registry.stdout)).toMatchObject({
      baseline: { kind: "registry", version: 1 },
      champion: { version: "v1" },
    });
    expect(JSON.parse(none.stdout)).toMatchObject({ baseline: { kind: "none" } });
    expect(JSON.parse(none.stdout).champion).toBeUndefined();
    const [fromRegistry, fromFolder] = [registry, folder].map((r) => JSON.parse(r.stdout).baseline.files);
    expect(fromRegistry).toEqual(fromFolder);
  });

  test("an equal challenger passes; the JSON has the contract's shape", async () => {
    const result = await cli(["evaluate", "--model", "champion", "--champion", "champion", "--json"], dir);

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ passed: true, champion: { metrics: expect.any(Object) } });
    expect(report.deltas.accuracy.delta).toBe(0);
    expect(report.gates.map((g: { rule: string }) => g.rule)).toEqual(["min", "maxDrop"]);
  });

  test("a much weaker challenger exits 1 with the failed gate in the JSON and the report", async () => {
    const weak = await project({
      "modelgate.yml": config(),
      "train.csv": table(600, 1, { labels: (i) => (i % 2 ? "yes" : "no") }),
      "test.csv": table(300, 2),
    });
    await cli(["train", "--out", "weak"], weak);

    const result = await cli(
      ["evaluate", "--model", "weak", "--champion", champion, "--json", "--out", "out/report.json"],
      weak,
    );

    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.passed).toBe(false);
    const failed = report.gates
      .filter((g: { passed: boolean }) => !g.passed)
      .map((g: { rule: string }) => g.rule);
    expect(failed).toEqual(["min", "maxDrop"]);
    const markdown = await readFile(path.join(weak, "out/report.md"), "utf8");
    expect(markdown).toContain("❌");
    expect(markdown).toContain("<!-- modelgate:report -->");
    const html = await readFile(path.join(weak, "out/report.html"), "utf8");
    expect(html).toContain("<svg");
  });

  test("an inconclusive gate exits 1 saying inconclusive; onInconclusive: pass exits 0", async () => {
    // maxDrop 0 can never be certified: even identical models leave an upper bound above 0 (Tango's
    // bound with no discordant row is z^2 / (n + z^2) = 0.009 on 300 rows).
    const strict = (extra: string) =>
      config(extra).replace(
        "  - { metric: accuracy, maxDrop: 0.02 }",
        "  - { metric: accuracy, maxDrop: 0 }",
      );
    const files = { "train.csv": table(600, 1), "test.csv": table(300, 2) };
    const blocking = await project({ "modelgate.yml": strict(""), ...files });
    const lenient = await project({ "modelgate.yml": strict("onInconclusive: pass"), ...files });
    const args = ["evaluate", "--model", champion, "--champion", champion];

    const blocked = await cli(args, blocking);
    const json = await cli([...args, "--json"], blocking);
    const allowed = await cli(args, lenient);

    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(
      /^✗ gate inconclusive: accuracy \(accuracy did not get worse .*could be as large as 0.0089.*more rows cannot/,
    );
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ passed: false, outcome: "inconclusive", significance: 0.05 });
    expect(report.gates[1]).toMatchObject({ outcome: "inconclusive", rowsNeeded: null });
    expect(report.deltas.accuracy.evidence).toEqual({
      kind: "paired",
      n: 300,
      challengerOnly: 0,
      championOnly: 0,
    });
    expect(report.deltas.f1_macro.evidence).toMatchObject({ kind: "bootstrap", rows: 300, discordant: 0 });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^✓ gate passed/);
    // What the bot does with the artifact: parse it, re-judge it from the evidence with trusted gates.
    const gates = [
      { metric: "accuracy", min: 0.8 },
      { metric: "accuracy", maxDrop: 0 },
    ];
    const rejudged = judgeReport(parseReport(report), { gates, significance: 0.05, onInconclusive: "fail" });
    expect(rejudged.gates).toEqual(report.gates);
    expect(rejudged.outcome).toBe("inconclusive");
  });

  test("report renders a saved report JSON as Markdown", async () => {
    await cli(["evaluate", "--model", "champion", "--out", "r/report.json"], dir);

    const result = await cli(["report", "r/report.json", "--format", "markdown"], dir);

    expect(result.code).toBe(0);
    expect(result.stdout.startsWith("<!-- modelgate:report -->")).toBe(true);
  });

  test("runs compare shows what differs between runs", async () => {
    const runs = JSON.parse((await cli(["runs", "list", "--json", "--kind", "train"], dir)).stdout);

    const result = await cli(["runs", "compare", runs[0].id, runs[1].id, "--json"], dir);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).map((row: { key: string }) => row.key)).toContain("metrics.loss");
  });

  test.each([
    [
      "a target column that does not exist",
      { "modelgate.yml": config().replace("target: y", "target: label") },
      /target column 'label'/,
    ],
    ["a single-class target", { "train.csv": table(100, 3, { labels: () => "yes" }) }, /class/],
  ])("%s: exit 2 with a clear message", async (_name, files, message) => {
    const bad = await project({
      "modelgate.yml": config(),
      "train.csv": table(100, 1),
      "test.csv": table(50, 2),
      ...files,
    });

    const result = await cli(["train", "--out", "m"], bad);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("more classes in test than in train are named", async () => {
    const bad = await project({
      "modelgate.yml": config(),
      "train.csv": table(100, 1),
      "test.csv": table(50, 2, { labels: (i) => (i === 7 ? "maybe" : "no") }),
    });
    await cli(["train", "--out", "m"], bad);

    const result = await cli(["evaluate", "--model", "m"], bad);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"maybe"');
  });

  test("a corrupted weights.bin is refused naming the file", async () => {
    const bad = await project({
      "modelgate.yml": config(),
      "train.csv": table(100, 1),
      "test.csv": table(50, 2),
    });
    await cli(["train", "--out", "m"], bad);
    await truncate(path.join(bad, "m/weights.bin"), 10);

    const result = await cli(["evaluate", "--model", "m"], bad);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("weights.bin");
  });

  test("a model from a different feature schema is refused naming the missing columns", async () => {
    const other = await project({
      "modelgate.yml": config(),
      "train.csv": table(100, 1).replace("id,x1,x2,color,y", "id,x1,x3,color,y"),
      "test.csv": table(50, 2),
    });
    await cli(["train", "--out", "m"], other);

    const result = await cli(["evaluate", "--model", "m"], other);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("x3");
  });
});
