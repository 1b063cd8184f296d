import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATA_INDEX } from "../../core/diff/row-index.js";
import { Report } from "../../core/report/schema.js";
import { cli, project } from "../helpers/cli.js";
import { mulberry32 } from "../profile/helpers.js";

const HEADER = "id,tenure,charges,plan,churned";
type Row = { id: number; tenure: number; charges: number; plan: string };

function makeRows(from: number, count: number, random: () => number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: from + i,
    tenure: Math.round(random() * 40),
    charges: Math.round(2000 + random() * 8000) / 100,
    plan: random() < 0.5 ? "monthly" : "yearly",
  }));
}

const csv = (rows: Row[]) =>
  `${HEADER}\n${rows
    .map(
      (r) =>
        `C${r.id},${r.tenure},${r.charges},${r.plan},${r.tenure < 12 && r.plan === "monthly" ? "yes" : "no"}`,
    )
    .join("\n")}\n`;

const CONFIG = `version: 1
name: churn
data: { train: train.csv, test: test.csv, target: churned, id: id }
model: { task: classification, hidden: [8], epochs: 2, batchSize: 64, seed: 1 }
gates:
  - { metric: accuracy, min: 0 }
`;

describe("the data diff in the report: a challenger trained on changed data", () => {
  let dir: string;
  let report: Report;
  let markdown: string;
  let html: string;

  beforeAll(async () => {
    const random = mulberry32(7);
    const train = makeRows(1, 1000, random);
    const test = makeRows(5001, 300, random);
    dir = await project({ "modelgate.yml": CONFIG, "train.csv": csv(train), "test.csv": csv(test) });
    expect((await cli(["train", "--out", "champion"], dir)).code).toBe(0);

    // 100 rows added, the first 50 removed, and 200 rows' tenure raised by 20 months.
    const changed = train.slice(50).map((r, i) => (i < 200 ? { ...r, tenure: r.tenure + 20 } : r));
    await writeFile(path.join(dir, "train.csv"), csv([...changed, ...makeRows(2001, 100, random)]));
    expect((await cli(["train", "--out", "challenger"], dir)).code).toBe(0);
    const run = await cli(
      ["evaluate", "--model", "challenger", "--champion", "champion", "--out", "report.json"],
      dir,
    );
    expect(run.code, run.stderr).toBe(0);
    report = Report.parse(JSON.parse(await readFile(path.join(dir, "report.json"), "utf8")));
    markdown = await readFile(path.join(dir, "report.md"), "utf8");
    html = await readFile(path.join(dir, "report.html"), "utf8");
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test("the report counts rows added, removed and changed by id, per part, and the shifted column", () => {
    const diff = report.data.diff!;

    expect(diff.parts).toEqual([
      { part: "train", old: 1000, new: 1050, added: 100, removed: 50, changed: 200 },
      { part: "test", old: 300, new: 300, added: 0, removed: 0, changed: 0 },
    ]);
    expect([diff.matchedBy, diff.id]).toEqual(["id", "id"]);
    expect(diff.shifted.map((s) => s.column)).toEqual(["tenure"]);
    expect(diff.shifted[0]!.change).toMatch(/^mean \S+ → \S+ \(\+0\.\d+ std\)$/);
  });

  test("the comment shows the data change first, before the gates and metrics", () => {
    const first = markdown.indexOf("#### Data changed since the champion");
    const gates = markdown.indexOf("<summary>Gates");

    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(gates);
    expect(markdown).toContain("| train | 1,000 → 1,050 | 100 | 50 | 200 |");
    expect(markdown).toContain("| test | 300 → 300 | 0 | 0 | 0 |");
    expect(markdown).toMatch(/- \*\*tenure\*\*: mean/);
    expect(html).toContain("Data changed since the champion");
  });

  test("a champion without a row index: counts from profiles only, said out loud", async () => {
    await rm(path.join(dir, "champion", DATA_INDEX));

    const run = await cli(
      ["evaluate", "--model", "challenger", "--champion", "champion", "--out", "old.json"],
      dir,
    );
    const diff = Report.parse(JSON.parse(await readFile(path.join(dir, "old.json"), "utf8"))).data.diff!;

    expect(run.code, run.stderr).toBe(0);
    expect(diff.matchedBy).toBe("counts");
    expect(diff.parts[0]).toEqual({ part: "train", old: 1000, new: 1050 });
    expect(diff.notes).toContain("no row index for the champion: counts from profiles only");
    expect(await readFile(path.join(dir, "old.md"), "utf8")).toContain(
      "no row index for the champion: counts from profiles only",
    );
  });

  test("an unchanged challenger shows no data section", async () => {
    const run = await cli(
      ["evaluate", "--model", "challenger", "--champion", "challenger", "--out", "same.json"],
      dir,
    );
    const same = await readFile(path.join(dir, "same.md"), "utf8");

    expect(run.code, run.stderr).toBe(0);
    expect(same).not.toContain("Data changed since the champion");
  });
});
