import { describe, expect, test } from "vitest";
import { mergeShards, renderSweepMarkdown, type TuneResult } from "../../core/tune/index.js";
import { mostInfluential, varyingParams } from "../../core/tune/render.js";

const result: TuneResult = {
  sweep: "sweep-1",
  metric: "rmse",
  direction: "min",
  trials: [
    { index: 0, params: { learningRate: 0.001, dropout: 0.1, hidden: [8] }, metrics: { rmse: 3 }, run: "r0" },
    { index: 1, params: { learningRate: 0.01, dropout: 0.1, hidden: [4] }, metrics: { rmse: 2 }, run: "r1" },
    { index: 2, params: { learningRate: 0.1, dropout: 0.1, hidden: [8] }, metrics: { rmse: 1 }, run: "r2" },
    { index: 3, params: { learningRate: 0.5, dropout: 0.1, hidden: [4] }, error: "Error: boom | bang" },
  ],
  best: {
    index: 2,
    params: { learningRate: 0.1, dropout: 0.1, hidden: [8] },
    metrics: { rmse: 1 },
    run: "r2",
  },
};

describe("renderSweepMarkdown", () => {
  test("the table lists best first, failures last, and only the params that differ", () => {
    const markdown = renderSweepMarkdown(result);

    const rows = markdown.split("\n").filter((l) => l.startsWith("|"));
    expect(rows.map((r) => r.replace(/\s+/g, " "))).toEqual([
      "| rank | trial | learningRate | hidden | rmse | run |",
      expect.stringMatching(/^\| -/),
      "| 1 | 2 | 0.1 | [8] | 1 | r2 |",
      "| 2 | 1 | 0.01 | [4] | 2 | r1 |",
      "| 3 | 0 | 0.001 | [8] | 3 | r0 |",
      "| – | 3 | 0.5 | [4] | failed: Error: boom \\| bang | |",
    ]);
  });

  test("pruned trials come after the finished ones, never ranked or best; the test score is its own line", () => {
    const pruned: TuneResult = {
      ...result,
      trials: [
        ...result.trials.slice(0, 3).map((t) => ({ ...t, epochs: 9 })),
        {
          index: 3,
          params: { learningRate: 0.2, dropout: 0.1, hidden: [4] },
          metrics: { rmse: 0.5 },
          run: "r4",
          epochs: 3,
          pruned: true,
        },
      ],
      epochs: 30,
      test: { run: "final", metrics: { rmse: 1.25 } },
    };

    const markdown = renderSweepMarkdown(pruned);

    const rows = markdown.split("\n").filter((l) => l.startsWith("|"));
    expect(rows[2]!.replace(/\s+/g, " ")).toBe("| 1 | 2 | 0.1 | [8] | 1 | r2 |");
    expect(rows.at(-1)!.replace(/\s+/g, " ")).toBe("| pruned | 3 | 0.2 | [4] | 0.5 (3 epochs) | r4 |");
    expect(mergeShards([shardOf(pruned)]).best?.index).toBe(2);
    expect(markdown).toContain(
      "the test rows are not read during the search. Epochs trained by all trials: 30.",
    );
    expect(markdown).toContain(
      "Best params (trial 2) retrained on all training rows, scored once on the test rows: **rmse 1.25** (run final).",
    );
  });

  test("the chart plots the metric against the param with the largest rank correlation", () => {
    const markdown = renderSweepMarkdown(result);

    expect(mostInfluential(result)).toEqual({ key: "learningRate", strength: 1 });
    expect(markdown).toContain(
      [
        "```mermaid",
        "xychart-beta",
        '  title "rmse vs learningRate"',
        '  x-axis "learningRate" ["0.001", "0.01", "0.1"]',
        '  y-axis "rmse"',
        "  line [3, 2, 1]",
        "```",
      ].join("\n"),
    );
  });

  test("a categorical param that explains the metric wins, drawn as bars", () => {
    const categorical: TuneResult = {
      ...result,
      trials: [
        { index: 0, params: { activation: "relu", l2: 0 }, metrics: { rmse: 1 }, run: "a" },
        { index: 1, params: { activation: "tanh", l2: 0.1 }, metrics: { rmse: 3 }, run: "b" },
        { index: 2, params: { activation: "relu", l2: 0.2 }, metrics: { rmse: 1.2 }, run: "c" },
        { index: 3, params: { activation: "tanh", l2: 0.3 }, metrics: { rmse: 3.1 }, run: "d" },
      ],
    };

    const markdown = renderSweepMarkdown(categorical);

    expect(varyingParams(categorical)).toEqual(["activation", "l2"]);
    expect(mostInfluential(categorical)?.key).toBe("activation");
    expect(markdown).toContain('x-axis "activation" ["relu", "tanh"]');
    expect(markdown).toContain("bar [1.1, 3.05]");
  });
});

describe("mergeShards", () => {
  const shard = (index: number, trials: TuneResult["trials"]) => ({
    file: `shard-${index}-of-2.json`,
    text: JSON.stringify({
      version: 1,
      sweep: `sweep-${index}`,
      shard: { index, count: 2 },
      plan: { trials: 4, hash: "sha256:x" },
      metric: "rmse",
      direction: "min",
      trials,
    }),
  });

  test("joins the trials in plan order and picks the best over all shards", () => {
    const [t0, t1, t2, t3] = result.trials as [TuneResult["trials"][number], ...TuneResult["trials"]];

    const merged = mergeShards([shard(2, [t1!, t3!]), shard(1, [t0, t2!])]);

    expect(merged).toEqual({ ...result, sweep: "sweep-1" });
  });

  test("a shard holding another shard's trials is refused naming the file", () => {
    const [t0, t1, t2, t3] = result.trials as [TuneResult["trials"][number], ...TuneResult["trials"]];

    const merge = () => mergeShards([shard(1, [t0, t1!]), shard(2, [t2!, t3!])]);

    expect(merge).toThrow(/holds trials \[0, 1\], expected \[0, 2\]/);
  });
});

function shardOf(r: TuneResult) {
  const text = JSON.stringify({
    version: 1,
    sweep: r.sweep,
    shard: { index: 1, count: 1 },
    plan: { trials: r.trials.length, hash: "h" },
    metric: r.metric,
    direction: r.direction,
    trials: r.trials,
    epochs: r.epochs,
  });
  return { file: "shard-1-of-1.json", text };
}
