import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cli, project, tune, tuneProject } from "./helpers.js";

interface TrialJson {
  index: number;
  params: Record<string, unknown>;
  metrics?: Record<string, number>;
  run?: string;
  epochs?: number;
  pruned?: true;
  error?: string;
}
interface ResultJson {
  sweep: string;
  metric: string;
  direction: string;
  trials: TrialJson[];
  best: {
    index: number;
    params: Record<string, unknown>;
    metrics: Record<string, number>;
    run: string;
  } | null;
  epochs?: number;
  test?: { run: string; metrics: Record<string, number> };
}

/** What must not depend on workers or shards: the trials, best and budget, without run and sweep ids. */
function comparable(result: ResultJson) {
  const { sweep: _s, test: _t, ...rest } = result;
  return {
    ...rest,
    trials: rest.trials.map(({ run: _r, ...trial }) => trial),
    best: rest.best && { ...rest.best, run: undefined },
  };
}

const SPACE = [
  "trials: 4",
  "seed: 3",
  "space:",
  "  hidden: [[4], [8]]",
  "  learningRate: { min: 0.001, max: 0.05, log: true }",
];

describe("tune", () => {
  let dir: string;
  // With successive halving (the default): 4 trials at 1 epoch, the best 2 at 3.
  let parallel: ResultJson;
  // --no-prune: what the shards are compared with (each shard of 2 trials has nothing to prune).
  let full: ResultJson;

  beforeAll(async () => {
    dir = await tuneProject(SPACE);
    const run = await tune(["--workers", "2", "--json"], dir);
    expect(run.code, run.stderr).toBe(0);
    parallel = JSON.parse(run.stdout);
  });

  test("--json prints every trial with params, metrics and run, and the best", () => {
    expect(parallel.metric).toBe("f1_macro");
    expect(parallel.direction).toBe("max");
    expect(parallel.trials.map((t) => t.index)).toEqual([0, 1, 2, 3]);
    for (const trial of parallel.trials) {
      expect(Object.keys(trial.params).sort()).toEqual(["hidden", "learningRate"]);
      expect(trial.metrics?.f1_macro).toBeGreaterThan(0);
      expect(trial.run).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(parallel.trials.map((t) => [t.epochs, t.pruned ?? false]).sort()).toEqual([
      [1, true],
      [1, true],
      [3, false],
      [3, false],
    ]);
    const finished = parallel.trials.filter((t) => !t.pruned);
    const top = Math.max(...finished.map((t) => t.metrics!.f1_macro!));
    expect(parallel.best?.metrics.f1_macro).toBe(top);
    expect(parallel.epochs).toBe(4 * 1 + 2 * 3);
    expect(parallel.test?.metrics.f1_macro).toBeGreaterThan(0);
  });

  test("one worker gives the same result as two", async () => {
    const sequential = await tune(["--workers", "1", "--json"], dir);

    expect(sequential.code, sequential.stderr).toBe(0);
    expect(comparable(JSON.parse(sequential.stdout))).toEqual(comparable(parallel));
  });

  test("shards merged give the result of one unsharded run", async () => {
    const unsharded = await tune(["--no-prune", "--json", "--workers", "2"], dir);
    full = JSON.parse(unsharded.stdout);
    const one = await tune(["--shard", "1/2", "--out", "shards/a", "--json", "--workers", "1"], dir);
    const two = await tune(["--shard", "2/2", "--out", "shards/b", "--json", "--workers", "1"], dir);

    const merged = await tune(["merge", "shards/a", "shards/b", "--json"], dir);

    expect(JSON.parse(one.stdout).trials.map((t: TrialJson) => t.index)).toEqual([0, 2]);
    expect(JSON.parse(two.stdout).trials.map((t: TrialJson) => t.index)).toEqual([1, 3]);
    // A shard has seen only its share: the merge, not the shard, scores the best on the test rows.
    expect(JSON.parse(one.stdout).test).toBeUndefined();
    expect(merged.code, merged.stderr).toBe(0);
    const result = JSON.parse(merged.stdout) as ResultJson;
    expect(comparable(result)).toEqual(comparable(full));
    expect(result.test?.metrics).toEqual(full.test?.metrics);
    expect(full.epochs).toBe(4 * 3);
  });

  test("every trial is a tracked run with its sweep as parent, and runs compare reads them", async () => {
    const list = await cli(["runs", "list", "--kind", "trial", "--json", "--limit", "1000"], dir);
    const runs = JSON.parse(list.stdout) as Array<{
      id: string;
      parent?: string;
      metrics: object;
      data: { test: { file: string } };
    }>;
    const ids = parallel.trials.map((t) => t.run!);

    const compared = await cli(["runs", "compare", ...ids, "--json"], dir);

    const mine = runs.filter((r) => ids.includes(r.id));
    expect(mine.map((r) => r.parent)).toEqual(ids.map(() => parallel.sweep));
    expect(mine.every((r) => "f1_macro" in r.metrics)).toBe(true);
    expect(mine.map((r) => r.data.test.file)).toEqual(ids.map(() => "train.csv (validation 0.2, seed 42)"));
    expect(compared.code).toBe(0);
    const keys = JSON.parse(compared.stdout).map((row: { key: string }) => row.key);
    expect(keys).toEqual(
      expect.arrayContaining(["params.hidden", "params.learningRate", "metrics.f1_macro"]),
    );
  });

  test("the human output is the sweep table, best first, and a mermaid chart", async () => {
    const shards = await tune(["merge", "shards/a", "shards/b"], dir);

    const lines = shards.stdout.split("\n");
    const header = lines.find((l) => l.startsWith("| rank"));
    expect(header?.replace(/\s+/g, " ")).toBe("| rank | trial | hidden | learningRate | f1_macro | run |");
    const firstRow = lines[lines.indexOf(header!) + 2]!;
    expect(firstRow).toContain(`| ${full.best!.index} `);
    expect(shards.stdout).toContain("xychart-beta");
  });

  test("--write-best sets the best params in modelgate.yml and keeps comments and other keys", async () => {
    const copy = await tuneProject(SPACE);
    await writeFile(
      path.join(copy, "shard.json"),
      await readFile(path.join(dir, "shards/a/shard-1-of-2.json")),
    );
    await writeFile(
      path.join(copy, "shard2.json"),
      await readFile(path.join(dir, "shards/b/shard-2-of-2.json")),
    );

    const merged = await tune(["merge", "shard.json", "shard2.json", "--write-best"], copy);

    expect(merged.code, merged.stderr).toBe(0);
    const text = await readFile(path.join(copy, "modelgate.yml"), "utf8");
    const best = full.best!.params;
    expect(text).toContain(`hidden: [ ${(best.hidden as number[]).join(", ")} ]`);
    expect(text).toContain(`learningRate: ${best.learningRate}`);
    expect(text).toContain("epochs: 3 # short on purpose");
    expect(text).toContain("# the data: a toy boundary");
    expect(text).toContain("trials: 4");
  });
});

describe("tune: failures", () => {
  test("a trial whose training throws is reported with its params; the others still run", async () => {
    // tfjs-node is not a dependency: a trial asking for it fails while starting its backend.
    const dir = await tuneProject(["strategy: grid", "trials: 3", "space:", "  backend: [cpu, node, wasm]"]);

    const result = await tune(["--workers", "2", "--json"], dir);

    expect(result.code).toBe(0);
    const { trials } = JSON.parse(result.stdout) as ResultJson;
    expect(trials.map((t) => [t.params.backend, t.error === undefined])).toEqual([
      ["cpu", true],
      ["node", false],
      ["wasm", true],
    ]);
    expect(trials[1]?.error).toMatch(/tfjs-node/);
  });

  test.each([
    ["an empty list", "  hidden: []", "tune.space.hidden"],
    ["min > max", "  dropout: { min: 0.5, max: 0.1 }", "tune.space.dropout"],
    ["log with min 0", "  learningRate: { min: 0, max: 0.1, log: true }", "tune.space.learningRate"],
    ["an unknown key", "  layers: [1, 2]", "tune.space.layers"],
  ])("a space with %s exits 2 naming the key", async (_name, line, field) => {
    const dir = await tuneProject(["space:", line]);

    const result = await tune([], dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(field);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test.each([
    ["not JSON", "{", /not JSON/],
    ["a foreign object", JSON.stringify({ version: 1, trials: "all" }), /not a tune shard/],
    [
      "a shard missing its partner",
      JSON.stringify({
        version: 1,
        sweep: "s",
        shard: { index: 1, count: 2 },
        plan: { trials: 2, hash: "h" },
        metric: "f1_macro",
        direction: "max",
        trials: [{ index: 0, params: {}, error: "x" }],
      }),
      /shard\(s\) 2\/2 missing/,
    ],
  ])("merge refuses %s with exit 2", async (_name, text, message) => {
    const dir = await project({ "shards/shard-1-of-2.json": text });

    const result = await tune(["merge", "shards"], dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe("tune: honest search", () => {
  test("the search never reads the test rows: with data.test missing every trial succeeds", async () => {
    const dir = await tuneProject(["trials: 3", "space:", "  hidden: [[4], [8]]"], { test: "gone.csv" });

    const result = await tune(["--json", "--workers", "2"], dir);

    const printed = JSON.parse(result.stdout) as ResultJson;
    expect(printed.trials.map((t) => t.error)).toEqual([undefined, undefined, undefined]);
    expect(printed.best).not.toBeNull();
    expect(printed.test).toBeUndefined();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/gone\.csv/);
    expect(result.stderr).toMatch(/scoring the best params once on the test rows needs the test data/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("successive halving spends fewer trial-epochs on a sweep with half poor trials, and keeps a good one", async () => {
    const space = [
      "strategy: grid",
      "space:",
      "  learningRate: [0.000001, 0.02]",
      "  hidden: [[4], [6], [8]]",
    ];
    const dir = await tuneProject(space, { epochs: 9 });

    const pruned = JSON.parse((await tune(["--json", "--workers", "2"], dir)).stdout) as ResultJson;
    const full = JSON.parse(
      (await tune(["--json", "--workers", "2", "--no-prune"], dir)).stdout,
    ) as ResultJson;

    // 6 trials at 3 epochs, the best 2 at 9: 36 epochs instead of 54 (less if early stopping ends one).
    expect(full.epochs).toBe(6 * 9);
    expect(pruned.epochs).toBeLessThan(full.epochs!);
    expect(pruned.trials.filter((t) => t.pruned).length).toBe(4);
    expect(pruned.trials.filter((t) => t.pruned).every((t) => t.epochs === 3)).toBe(true);
    expect(pruned.best?.params.learningRate).toBe(0.02);
    expect(full.best?.params.learningRate).toBe(0.02);
    // The budget is what the run store records: every training of the sweep, each rung's included.
    const list = await cli(["runs", "list", "--kind", "trial", "--json", "--limit", "1000"], dir);
    const runs = JSON.parse(list.stdout) as Array<{ parent?: string; metrics: { epochs: number } }>;
    const spent = runs.filter((r) => r.parent === pruned.sweep).reduce((sum, r) => sum + r.metrics.epochs, 0);
    expect(spent).toBe(pruned.epochs);
  });
});
