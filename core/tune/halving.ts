import type { TrialTask } from "../pipeline/tune-worker.js";
import { type Objective, rankTrials, succeeded } from "./objective.js";
import type { Trial } from "./schema.js";

// Successive halving keeps the top third of each rung (Jamieson & Talwalkar's eta = 3, Hyperband's default).
export const KEEP_ONE_IN = 3;

/** Trials per rung: all of them at the first, a third (rounded up) at each next, down to under 3. */
export function rungSizes(trials: number, prune: boolean): number[] {
  const sizes = [trials];
  if (!prune) return sizes;
  while (sizes.at(-1)! >= KEEP_ONE_IN) sizes.push(Math.ceil(sizes.at(-1)! / KEEP_ONE_IN));
  return sizes;
}

/** A rung's epochs are the full epochs divided by this: the last rung trains in full. */
export function rungDivisor(rung: number, rungs: number): number {
  return KEEP_ONE_IN ** (rungs - 1 - rung);
}

/** The `keep` best successful trials of a rung (ties to the earlier trial): the next rung's tasks. */
export function survivors(
  tasks: TrialTask[],
  trials: Trial[],
  keep: number,
  objective: Objective,
): TrialTask[] {
  const kept = new Set(
    rankTrials(trials, objective)
      .filter(succeeded)
      .filter((t) => Number.isFinite(t.metrics[objective.metric]))
      .slice(0, keep)
      .map((t) => t.index),
  );
  return tasks.filter((task) => kept.has(task.index));
}
