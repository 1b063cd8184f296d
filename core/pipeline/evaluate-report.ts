import path from "node:path";
import type { Config } from "../config/index.js";
import type { Comparison } from "../gate/index.js";
import { confusionMatrix, perClass } from "../metrics/index.js";
import type { ClassificationData, RegressionData, Task } from "../metrics/schema.js";
import type { ModelManifest } from "../model/index.js";
import type { Report } from "../report/index.js";
import type { Baseline, DataDiffSummary } from "../report/schema.js";
import { boundsOf } from "../stats/index.js";
import { RunRecord } from "../tracking/schema.js";
import type { DataPartInfo } from "./dataset.js";

/** What an evaluation found, and what the report says of where it came from. */
export interface Evaluation {
  config: Config;
  comparison: Comparison;
  task: Task;
  scored: ClassificationData | RegressionData;
  info: { train?: DataPartInfo; test: DataPartInfo };
  /** The challenger's training run, from its modelgate.json, when it has one. */
  trainRun: RunRecord | undefined;
  championManifest: ModelManifest | undefined;
  /** What scored the challenger, for a model without a training run of its own. */
  backend: string;
  dataDiff: DataDiffSummary | undefined;
  finished: Date;
  where: { cwd: string; championDir?: string; championLabel?: string | number; baseline?: Baseline };
}

/** The run report of an evaluation: metrics, champion, deltas with their bounds, gates, data and run. */
export function evaluationReport(evaluation: Evaluation): Report {
  const { config, comparison, info, trainRun, task } = evaluation;
  const primary = config.metrics.primary ?? (task === "classification" ? "f1_macro" : "rmse");
  return {
    version: 1,
    model: config.name,
    task,
    passed: comparison.passed,
    outcome: comparison.outcome,
    significance: config.significance,
    primaryMetric: primary,
    metrics: finiteOnly(comparison.metrics),
    ...championPart(evaluation),
    ...(evaluation.where.baseline ? { baseline: evaluation.where.baseline } : {}),
    deltas: deltasOf(comparison, config.significance),
    gates: comparison.gates,
    ...(task === "classification" ? classesPart(evaluation.scored as ClassificationData) : {}),
    data: {
      ...trainPart(trainRun, info.train),
      test: part(info.test),
      changes: changes(trainRun, evaluation.championManifest),
      ...(evaluation.dataDiff ? { diff: evaluation.dataDiff } : {}),
    },
    ...(trainRun && trainRun.history.length > 0 ? { history: trainRun.history } : {}),
    ...(trainRun ? { run: runPart(trainRun, evaluation.backend) } : {}),
    generatedAt: evaluation.finished.toISOString(),
  };
}

function championPart({ comparison, where }: Evaluation): Pick<Report, "champion"> {
  if (!comparison.champion) return {};
  return {
    champion: {
      metrics: finiteOnly(comparison.champion.metrics),
      ...(where.championLabel !== undefined ? { version: where.championLabel } : {}),
      ...(where.championDir ? { source: path.relative(where.cwd, where.championDir) || "." } : {}),
    },
  };
}

function deltasOf(comparison: Comparison, significance: number): Report["deltas"] {
  return Object.fromEntries(
    Object.entries(comparison.deltas)
      .filter(([, d]) => Number.isFinite(d.delta))
      .map(([name, d]) => {
        const { lower, upper } = boundsOf(d.evidence, significance);
        return [name, { delta: d.delta, ci: [lower, upper], evidence: d.evidence }];
      }),
  );
}

function classesPart(scored: ClassificationData) {
  const matrix = confusionMatrix(scored);
  return { classes: matrix.classes, confusionMatrix: matrix.matrix, perClass: perClass(scored) };
}

function runPart(trainRun: RunRecord, backend: string): NonNullable<Report["run"]> {
  return {
    id: trainRun.id,
    ...(trainRun.git ? { commit: trainRun.git.commit, dirty: trainRun.git.dirty } : {}),
    backend: trainRun.backend ?? backend,
    durationMs: trainRun.durationMs ?? 0,
    startedAt: trainRun.startedAt,
  };
}

function part(info: DataPartInfo) {
  return { rows: info.rows, fingerprint: info.fingerprint.slice(0, 128), file: info.file.slice(0, 500) };
}

function trainPart(run: RunRecord | undefined, info: DataPartInfo | undefined) {
  const train = run?.data.train ?? info;
  return train ? { train: part(train) } : {};
}

function changes(run: RunRecord | undefined, champion: ModelManifest | undefined): string[] {
  const championRun = RunRecord.safeParse(champion?.run);
  if (!run || !championRun.success) return [];
  const out: string[] = [];
  const [now, before] = [run.data.train, championRun.data.data.train];
  if (now && before) {
    if (now.fingerprint !== before.fingerprint) {
      const delta = now.rows - before.rows;
      out.push(`training data changed: ${before.rows} → ${now.rows} rows (${delta >= 0 ? "+" : ""}${delta})`);
    } else out.push("training data unchanged");
  }
  const changed = Object.keys(run.params).filter(
    (key) => JSON.stringify(run.params[key]) !== JSON.stringify(championRun.data.params[key]),
  );
  if (changed.length > 0) {
    out.push(
      `model parameters changed: ${changed.map((k) => `${k} ${JSON.stringify(championRun.data.params[k])} → ${JSON.stringify(run.params[k])}`).join(", ")}`,
    );
  }
  return out;
}

function finiteOnly(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}
