import type { Config } from "../config/schema.js";
import { UserError } from "../errors.js";
import { getMetric, metrics, type Task } from "../metrics/index.js";
import type { Best, Direction, Trial, TrialSuccess } from "./schema.js";

export interface Objective {
  metric: string;
  direction: Direction;
}

/** The metric that ranks trials: tune.metric, else metrics.primary, else f1_macro / rmse by task. */
export function objectiveFor(config: Config, task: Task): Objective {
  const field = config.tune?.metric ? "tune.metric" : "metrics.primary";
  const name =
    config.tune?.metric ?? config.metrics.primary ?? (task === "classification" ? "f1_macro" : "rmse");
  const metric = getMetric(task, name);
  if (!metric) {
    const known = [...metrics.values()].filter((m) => m.task === task).map((m) => m.name);
    throw new UserError(`'${name}' is not a ${task} metric; expected one of ${known.join(", ")}`, { field });
  }
  return { metric: name, direction: metric.direction };
}

/** Fails before any training when the metric is unknown for every task. */
export function checkMetricName(config: Config): void {
  const name = config.tune?.metric ?? config.metrics.primary;
  if (name === undefined || metrics.has(name)) return;
  throw new UserError(`unknown metric '${name}'; expected one of ${[...metrics.keys()].join(", ")}`, {
    field: config.tune?.metric ? "tune.metric" : "metrics.primary",
  });
}

export function succeeded(trial: Trial): trial is TrialSuccess {
  return "metrics" in trial;
}

/** The best successful trial; ties go to the earlier trial so the answer never depends on timing. */
export function pickBest(trials: Trial[], objective: Objective): Best | null {
  let best: TrialSuccess | undefined;
  for (const trial of [...trials].sort((a, b) => a.index - b.index)) {
    if (!succeeded(trial) || trial.pruned) continue;
    const value = trial.metrics[objective.metric];
    if (value === undefined || !Number.isFinite(value)) continue;
    const current = best?.metrics[objective.metric];
    if (current === undefined || (objective.direction === "max" ? value > current : value < current))
      best = trial;
  }
  return best ? { index: best.index, params: best.params, metrics: best.metrics, run: best.run } : null;
}

/** Best first, then trials pruned early (scored on a shorter training), failures last. */
export function rankTrials(trials: Trial[], objective: Objective): Trial[] {
  const tier = (t: Trial) => (!succeeded(t) ? 2 : t.pruned ? 1 : 0);
  const score = (t: Trial) => {
    const value = succeeded(t) ? t.metrics[objective.metric] : undefined;
    if (value === undefined || !Number.isFinite(value)) return Number.POSITIVE_INFINITY;
    return objective.direction === "max" ? -value : value;
  };
  return [...trials].sort((a, b) => tier(a) - tier(b) || compare(score(a), score(b)) || a.index - b.index);
}

function compare(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
