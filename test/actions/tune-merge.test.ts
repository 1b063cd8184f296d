import { readFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { runAction } from "../helpers/action.js";
import { tempDir } from "../helpers/temp.js";
import { tuneProject } from "../tune/helpers.js";

/** examples/workflows/sweep.yml: shards of the tune action, downloaded into one folder, merged by the same action. */
describe("actions/tune: shards, then merge (dist/, as the runner runs them)", () => {
  test("two shards merged give every trial once; the merge needs no checkout", async () => {
    const workspace = await tuneProject(["trials: 3", "seed: 5", "space:", "  hidden: [[4], [6], [8]]"]);
    const shards = await tempDir("mg-shards-");

    for (const shard of ["1/2", "2/2"]) {
      const run = await runAction("tune", { shard, sweep: "sweep-7", out: shards }, { workspace });
      expect(run.code, run.stdout).toBe(0);
    }
    // An empty workspace: the merge job downloads the shards and checks nothing out.
    const empty = await tempDir("mg-empty-");
    const merge = await runAction("tune", { merge: shards }, { workspace: empty });

    expect(merge.code, merge.stdout).toBe(0);
    const result = JSON.parse(await readFile(merge.outputs.result!, "utf8")) as {
      trials: { index: number; params: { hidden: number[] } }[];
    };
    expect(result.trials.map((t) => t.index).sort()).toEqual([0, 1, 2]);
    expect(merge.outputs.trials).toBe("3");
    expect(JSON.parse(merge.outputs.best!)).toHaveProperty("hidden");
    expect(merge.summary).not.toBe("");
  }, 120_000);

  test("a whole sweep (no shard) scores its best once on the test rows; prune=false trains every trial in full", async () => {
    const workspace = await tuneProject(["trials: 3", "seed: 5", "space:", "  hidden: [[4], [6], [8]]"]);

    const run = await runAction("tune", { prune: "false" }, { workspace });
    const bad = await runAction("tune", { prune: "maybe" }, { workspace });

    expect(run.code, run.stdout).toBe(0);
    expect(run.summary).toMatch(/retrained on all training rows, scored once on the test rows: \*\*f1_macro/);
    expect(run.summary).toContain("Epochs trained by all trials: 9.");
    expect(run.summary).not.toContain("pruned");
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("prune");
  }, 120_000);

  test("merge with no shard files in the folder is bad input (exit 2)", async () => {
    const empty = await tempDir("mg-empty-");

    const merge = await runAction("tune", { merge: empty }, { workspace: empty });

    expect(merge.code).toBe(2);
    expect(merge.stdout).toContain("no shard-I-of-N.json file here");
  });
});
