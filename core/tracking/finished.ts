import type { RunRecord } from "./schema.js";

/** Who a run is and when it started: the same for a training, a program's and an evaluation run. */
export interface RunStart {
  id: string;
  name: string;
  kind: RunRecord["kind"];
  started: Date;
  git?: RunRecord["git"];
  parent?: string;
}

/** What the run did; `model` is the folder it wrote or scored. */
export type RunWork = Pick<RunRecord, "params" | "history" | "metrics" | "data" | "tags"> &
  Partial<Pick<RunRecord, "command" | "backend" | "model">>;

/**
 * A finished run's record, timed from `start` to `finished`. The fields keep the order the run store and
 * modelgate.json have always had (a model folder's manifest keeps the record as written).
 */
export function finishedRun(start: RunStart, work: RunWork, finished = new Date()): RunRecord {
  return {
    version: 1,
    id: start.id,
    name: start.name,
    kind: start.kind,
    status: "finished",
    params: work.params,
    ...(work.command ? { command: work.command } : {}),
    history: work.history,
    metrics: work.metrics,
    data: work.data,
    ...(start.git ? { git: start.git } : {}),
    ...(work.backend === undefined ? {} : { backend: work.backend }),
    startedAt: start.started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - start.started.getTime(),
    ...(start.parent ? { parent: start.parent } : {}),
    ...(work.model === undefined ? {} : { model: work.model }),
    tags: work.tags,
  };
}
