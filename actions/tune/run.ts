import { writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { z } from "zod";
import { TuneArgs, zodProblem } from "../../core/config/command-args.js";
import { UserError } from "../../core/errors.js";
import {
  mergeShards,
  parseShard,
  readShards,
  renderSweepMarkdown,
  runSweep,
  scoreBest,
  type TuneResult,
  writeShard,
} from "../../core/tune/index.js";
import { projectContext } from "../project.js";
import { actionsLogger, input, onUnlessFalse, optionalString, runnerTemp, workspace } from "../runtime.js";

/**
 * One shard of a hyperparameter search (`tune:` in modelgate.yml). `trials` (what `/modelgate tune
 * trials=N` sends) replaces the config's count, read with the bot's own schema and bounds.
 */
export async function tuneAction(): Promise<number> {
  const merge = input("merge", optionalString);
  if (merge !== undefined) return mergeAction(merge);
  const { cwd, loaded } = await projectContext();
  const trials = parseTrials(input("trials", optionalString));
  const tune = loaded.config.tune;
  if (!tune) throw new UserError("the config has no tune: block to search", { field: "tune" });
  const shardText = input("shard", optionalString);
  const { result, shard } = await runSweep(
    trials === undefined ? loaded : { ...loaded, config: { ...loaded.config, tune: { ...tune, trials } } },
    {
      cwd,
      storeRoot: path.resolve(loaded.root, loaded.config.registry.path),
      logger: actionsLogger,
      workers: Math.max(1, Math.min(availableParallelism(), 4)),
      shard: shardText === undefined ? undefined : parseShard(shardText, "with.shard"),
      prune: input("prune", onUnlessFalse),
      sweep: input(
        "sweep",
        z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,100}$/, "expected letters, digits, '_' or '-'")
          .optional(),
      ),
    },
  );
  const out = input("out", optionalString);
  if (out) core.setOutput("shard", await writeShard(path.resolve(cwd, out), shard));
  // A whole sweep scores its best once on the test rows; a shard has seen only its share of the trials.
  if (shard.shard.count === 1 && result.best) {
    result.test = await scoreBest(loaded, result.best, {
      cwd,
      storeRoot: path.resolve(loaded.root, loaded.config.registry.path),
      logger: actionsLogger,
      sweep: result.sweep,
    });
  }
  core.setOutput("trials", String(result.trials.length));
  core.setOutput("best", JSON.stringify(result.best?.params ?? null));
  await core.summary.addRaw(renderSweepMarkdown(result), true).write();
  if (result.trials.length === 0) {
    // More shards than trials (e.g. 3 trials on a 4-job matrix): this shard has nothing to do.
    actionsLogger.info("this shard has no trials: there are fewer trials than shards");
    return 0;
  }
  if (!result.best) {
    core.setFailed("no trial succeeded: see the errors in the table");
    return 1;
  }
  return 0;
}

/**
 * `merge`: joins the shard files in these folders (one a line) into the sweep's result. Reads no config
 * and needs no checkout, so the merge job runs nothing from the tuned commit.
 */
async function mergeAction(folders: string): Promise<number> {
  const cwd = workspace();
  const dirs = folders
    .split("\n")
    .map((d) => d.trim())
    .filter(Boolean);
  const result: TuneResult = mergeShards(await readShards(dirs.map((d) => path.resolve(cwd, d))));
  const file = path.join(runnerTemp(cwd), "modelgate-sweep.json");
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  core.setOutput("result", file);
  core.setOutput("trials", String(result.trials.length));
  core.setOutput("best", JSON.stringify(result.best?.params ?? null));
  await core.summary.addRaw(renderSweepMarkdown(result), true).write();
  if (!result.best) {
    core.setFailed("no trial succeeded: see the errors in the table");
    return 1;
  }
  actionsLogger.info(
    "the merge reads no config, so it does not score the best params on the test rows: train with them (the `best` output) and evaluate as usual",
  );
  return 0;
}

/** `trials`: a whole number 1-1000, as the command table bounds it. */
export function parseTrials(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = TuneArgs.safeParse({ trials: text });
  if (!parsed.success) throw new UserError(zodProblem(parsed.error), { field: "with.trials" });
  return parsed.data.trials;
}
