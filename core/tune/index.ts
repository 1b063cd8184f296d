import type { LoadedConfig } from "../config/index.js";
import { UserError } from "../errors.js";
import type { TrialTask } from "../pipeline/tune-worker.js";
import type { Logger } from "../ports.js";
import { RunStore } from "../tracking/index.js";
import { rungDivisor, rungSizes, survivors } from "./halving.js";
import { checkMetricName, type Objective, objectiveFor, pickBest, succeeded } from "./objective.js";
import { runPool, type TrialOutcome } from "./pool.js";
import type { Shard, ShardFile, Trial, TuneResult } from "./schema.js";
import { checkSpace, planHash, planTrials } from "./space.js";

export { scoreBest } from "./final.js";
export { renderSweepMarkdown } from "./render.js";
export { Best, type Shard, ShardFile, TestScore, Trial, TuneResult } from "./schema.js";
export { mergeShards, readShards, shardFileName, writeShard } from "./shards.js";
export { checkSpace, planTrials } from "./space.js";
export { writeBestParams } from "./write-best.js";

export interface SweepOptions {
  cwd: string;
  /** Folder of the run store; every trial is a run there with `parent` = the sweep id. */
  storeRoot: string;
  logger: Logger;
  /** Worker threads; each trains its own trials with its own tfjs backend. */
  workers: number;
  /** Run only this shard's trials: trial k (from 0) belongs to shard (k mod count) + 1. */
  shard?: Shard;
  /** Parent id of the trial runs; shards of one CI sweep may share one. */
  sweep?: string;
  /** Successive halving within this shard (default on). */
  prune?: boolean;
}

export interface SweepOutput {
  result: TuneResult;
  /** What `--out DIR` saves for `tune merge`. */
  shard: ShardFile;
}

/**
 * Plans the trials from `tune:`, trains this shard's share on worker threads, ranks them. Trials learn
 * from the tuning share of the training rows and are scored on its validation share (never the test
 * rows); successive halving trains every trial briefly and only the best third of each rung longer.
 */
export async function runSweep(loaded: LoadedConfig, options: SweepOptions): Promise<SweepOutput> {
  const { config } = loaded;
  if (!config.tune) throw new UserError("the config has no tune: block to search", { field: "tune" });
  checkMetricName(config);
  const plan = planTrials(config.tune, checkSpace(config.tune, config.model));
  const shard = options.shard ?? { index: 1, count: 1 };
  const tasks: TrialTask[] = plan
    .map((params, index) => ({ index, params }))
    .filter((task) => task.index % shard.count === shard.index - 1);
  const sweep = options.sweep ?? `sweep-${RunStore.newId()}`;
  const workers = Math.max(1, Math.min(options.workers, tasks.length));
  const sizes = rungSizes(tasks.length, options.prune ?? true);
  options.logger.info(
    `sweep ${sweep}: ${tasks.length} of ${plan.length} trial(s)${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ""} on ${workers} worker(s)${sizes.length > 1 ? `; successive halving: ${sizes.join(" -> ")} trials` : ""}`,
  );
  const total = sizes.reduce((sum, n) => sum + n, 0);
  let done = 0;
  let epochs = 0;
  let objective: Objective | undefined;
  const latest = new Map<number, Trial>();
  let active = tasks;
  for (let rung = 0; rung < sizes.length && active.length > 0; rung++) {
    const divisor = rungDivisor(rung, sizes.length);
    const outcomes = await runPool(
      { loaded, cwd: options.cwd, storeRoot: options.storeRoot, sweep },
      active.map((task) => ({ ...task, divisor })),
      workers,
      (outcome) => {
        done += 1;
        options.logger.progress("trial", done, total);
        if (!outcome.ok) options.logger.warning(`trial ${outcome.index} failed: ${outcome.error}`);
      },
    );
    const trials = outcomes.map((outcome) => toTrial(outcome, plan[outcome.index] ?? {}));
    for (const trial of trials) latest.set(trial.index, trial);
    for (const outcome of outcomes) if (outcome.ok) epochs += outcome.value.epochs;
    objective ??= objectiveFor(
      config,
      config.model.task ?? outcomes.find((o) => o.ok)?.value.task ?? "classification",
    );
    if (rung === sizes.length - 1) break;
    const next = survivors(active, trials, sizes[rung + 1]!, objective);
    const kept = new Set(next.map((task) => task.index));
    for (const trial of trials)
      if (succeeded(trial) && !kept.has(trial.index)) latest.set(trial.index, { ...trial, pruned: true });
    active = next;
  }
  objective ??= objectiveFor(config, config.model.task ?? "classification");
  const trials = [...latest.values()].sort((a, b) => a.index - b.index);
  return {
    result: { sweep, ...objective, trials, best: pickBest(trials, objective), epochs },
    shard: {
      version: 1,
      sweep,
      shard,
      plan: { trials: plan.length, hash: planHash(plan) },
      ...objective,
      trials,
      epochs,
    },
  };
}

function toTrial(outcome: TrialOutcome, params: Trial["params"]): Trial {
  return outcome.ok
    ? {
        index: outcome.index,
        params,
        metrics: outcome.value.metrics,
        run: outcome.value.run,
        epochs: outcome.value.epochs,
      }
    : { index: outcome.index, params, error: outcome.error };
}

/** "I/N" with 1 <= I <= N. */
export function parseShard(text: string, field = "--shard"): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new UserError(`expected I/N with 1 <= I <= N (e.g. 1/3), found '${text}'`, { field });
  }
  return { index, count };
}
