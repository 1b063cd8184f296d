import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { LoadedConfig } from "../config/index.js";
import type { ColumnTable } from "../data/split.js";
import { UserError } from "../errors.js";
import { compareModels } from "../gate/index.js";
import { confusionMatrix, metricsFor, perClass } from "../metrics/index.js";
import type { ClassificationData, RegressionData } from "../metrics/schema.js";
import { type BackendOptions, encodeTarget, loadPredictor, type Predictor } from "../model/index.js";
import type { Logger } from "../ports.js";
import { type Report, renderHtml, renderMarkdown } from "../report/index.js";
import type { Baseline } from "../report/schema.js";
import { boundsOf } from "../stats/index.js";
import { RunStore } from "../tracking/index.js";
import { RunRecord } from "../tracking/schema.js";
import { diffModelData } from "./data-diff.js";
import { type DataPartInfo, loadProjectData, loadTable, type ProjectData } from "./dataset.js";

export interface EvaluateProjectOptions {
  cwd: string;
  modelDir: string;
  championDir?: string;
  /** Champion's name in messages and the report (a registry version, or the folder). */
  championLabel?: string | number;
  /** What the champion is (registry version and file hashes, a folder, first model, none): see resolveBaseline. */
  baseline?: Baseline;
  /** Evaluate on this data instead of the project's test rows. */
  data?: string;
  /** Rows already read: their `test` rows are scored (tuning trials hand in their validation share). */
  project?: ProjectData;
  logger: Logger;
  store: RunStore;
  git?: { commit: string; dirty: boolean };
  backend?: BackendOptions;
}

export interface EvaluateProjectResult {
  report: Report;
  run: RunRecord;
}

/** Scores the challenger (and the champion on the same rows), applies the gates, builds the report. */
export async function evaluateProject(
  loaded: LoadedConfig,
  options: EvaluateProjectOptions,
): Promise<EvaluateProjectResult> {
  const started = new Date();
  const { config } = loaded;
  // Any kind of model (modelgate-built, ONNX, tfjs) through the one format layer.
  const challenger = await loadPredictor(options.modelDir, { logger: options.logger, ...options.backend });
  const champion = options.championDir
    ? await loadPredictor(options.championDir, { logger: options.logger, ...options.backend })
    : undefined;
  const { table, info } = options.data
    ? await (async () => {
        const loadedData = await loadTable(options.data!, {
          cwd: options.cwd,
          delimiter: config.data.delimiter,
        });
        return { table: loadedData.table, info: { test: loadedData.info, train: undefined } };
      })()
    : await (options.project
        ? Promise.resolve(options.project)
        : loadProjectData(loaded, { cwd: options.cwd, logger: options.logger })
      ).then((d) => ({ table: d.test, info: d.info }));

  const task = challenger.manifest.task;
  if (champion && champion.manifest.task !== task) {
    throw new UserError(`the champion is a ${champion.manifest.task} model, the challenger a ${task} model`, {
      field: "--champion",
    });
  }
  options.logger.info(`evaluating on ${info.test.rows} rows${champion ? " against the champion" : ""}`);
  const shown = (dir: string) => path.relative(options.cwd, dir) || ".";
  const scored = await score(challenger, table, shown(options.modelDir));
  const championScored = champion ? await score(champion, table, shown(options.championDir!)) : undefined;
  challenger.dispose();
  champion?.dispose();
  const comparison = compareModels(task, scored as never, championScored as never, config.gates, {
    significance: config.significance,
    onInconclusive: config.onInconclusive,
    seed: config.model.seed,
  });
  const undefinedMetrics = metricsFor(task)
    .map((m) => m.name)
    .filter((name) => !(name in comparison.metrics));
  if (undefinedMetrics.length > 0) {
    options.logger.warning(
      `${undefinedMetrics.join(", ")}: not defined on these ${info.test.rows} rows (e.g. a single class), left out of the report`,
    );
  }

  const trainRun = RunRecord.safeParse(challenger.manifest.run);
  const finished = new Date();
  const run: RunRecord = {
    version: 1,
    id: RunStore.newId(started),
    name: config.name,
    kind: "evaluate",
    status: "finished",
    params: { model: options.modelDir, champion: options.championDir ?? null },
    history: [],
    metrics: comparison.metrics,
    data: { ...(info.train ? { train: info.train } : {}), test: info.test },
    ...(options.git ? { git: options.git } : {}),
    backend: challenger.backend,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    ...(trainRun.success ? { parent: trainRun.data.id } : {}),
    model: options.modelDir,
    tags: { passed: String(comparison.passed), outcome: comparison.outcome },
  };
  await options.store.save(run);

  // Rows changed since the champion, from the index and profile each model folder keeps.
  const dataDiff = options.championDir
    ? await diffModelData(options.modelDir, options.championDir)
    : undefined;
  const primary = config.metrics.primary ?? (task === "classification" ? "f1_macro" : "rmse");
  const classification = task === "classification" ? (scored as ClassificationData) : undefined;
  const matrix = classification ? confusionMatrix(classification) : undefined;
  const report: Report = {
    version: 1,
    model: config.name,
    task,
    passed: comparison.passed,
    outcome: comparison.outcome,
    significance: config.significance,
    primaryMetric: primary,
    metrics: finiteOnly(comparison.metrics),
    ...(comparison.champion
      ? {
          champion: {
            metrics: finiteOnly(comparison.champion.metrics),
            ...(options.championLabel !== undefined ? { version: options.championLabel } : {}),
            ...(options.championDir
              ? { source: path.relative(options.cwd, options.championDir) || "." }
              : {}),
          },
        }
      : {}),
    ...(options.baseline ? { baseline: options.baseline } : {}),
    deltas: Object.fromEntries(
      Object.entries(comparison.deltas)
        .filter(([, d]) => Number.isFinite(d.delta))
        .map(([name, d]) => {
          const { lower, upper } = boundsOf(d.evidence, config.significance);
          return [name, { delta: d.delta, ci: [lower, upper], evidence: d.evidence }];
        }),
    ),
    gates: comparison.gates,
    ...(matrix
      ? { classes: matrix.classes, confusionMatrix: matrix.matrix, perClass: perClass(classification!) }
      : {}),
    data: {
      ...trainPart(trainRun.success ? trainRun.data : undefined, info.train),
      test: part(info.test),
      changes: changes(trainRun.success ? trainRun.data : undefined, champion),
      ...(dataDiff ? { diff: dataDiff } : {}),
    },
    ...(trainRun.success && trainRun.data.history.length > 0 ? { history: trainRun.data.history } : {}),
    ...(trainRun.success
      ? {
          run: {
            id: trainRun.data.id,
            ...(trainRun.data.git
              ? { commit: trainRun.data.git.commit, dirty: trainRun.data.git.dirty }
              : {}),
            backend: trainRun.data.backend ?? challenger.backend,
            durationMs: trainRun.data.durationMs ?? 0,
            startedAt: trainRun.data.startedAt,
          },
        }
      : {}),
    generatedAt: finished.toISOString(),
  };
  return { report, run };
}

/** Writes the report JSON to `jsonFile`, and the Markdown and HTML renderings beside it. */
export async function writeReport(
  jsonFile: string,
  report: Report,
): Promise<{ json: string; markdown: string; html: string }> {
  const base = jsonFile.replace(/\.json$/i, "");
  const files = { json: jsonFile, markdown: `${base}.md`, html: `${base}.html` };
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.markdown, renderMarkdown(report));
  await writeFile(files.html, renderHtml(report));
  return files;
}

async function score(
  model: Predictor,
  table: ColumnTable,
  dir: string,
): Promise<ClassificationData | RegressionData> {
  const prep = model.preprocessor;
  const targetIndex = table.columns.indexOf(prep.target.name);
  if (targetIndex < 0) {
    throw new UserError(`the evaluation data has no target column '${model.manifest.target}'`, {
      field: "data.target",
    });
  }
  const y = encodeTarget(prep, table.data[targetIndex] ?? [], table);
  const prediction = await model.predict(table);
  checkFinitePredictions(
    prediction.task === "classification" ? prediction.probabilities : prediction.values,
    table.data[0]?.length ?? 0,
    table,
    dir,
  );
  if (prediction.task === "classification") {
    return {
      labels: Int32Array.from(y),
      probabilities: prediction.probabilities,
      classes: prediction.classes,
    };
  }
  const target = prep.target;
  const scale = target.task === "regression" ? target : { mean: 0, std: 1 };
  return {
    actual: Float64Array.from(y, (v) => v * scale.std + scale.mean),
    predicted: prediction.values,
  };
}

/** A model that answers NaN or Infinity is broken: metrics computed from it would be meaningless or dropped. */
function checkFinitePredictions(values: ArrayLike<number>, rows: number, table: ColumnTable, dir: string) {
  const width = values.length / Math.max(rows, 1);
  let bad = 0;
  let first = -1;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < width; k++) {
      const v = values[r * width + k]!;
      if (v - v === 0) continue;
      bad++;
      if (first < 0) first = r;
      break;
    }
  }
  if (bad === 0) return;
  const line = table.lines?.[first];
  const fileIndex = table.files?.index[first];
  const file = fileIndex === undefined ? "" : `${table.files!.names[fileIndex]}:`;
  throw new UserError(
    `the model's predictions are not finite numbers for ${bad} of ${rows} rows (first: ${line === undefined ? `data row ${first + 1}` : `${file ? file : "line "}${line}`}); ` +
      "its metrics cannot be computed: the model is broken (diverged weights?), retrain it",
    { file: dir },
    1,
  );
}

function part(info: DataPartInfo) {
  return { rows: info.rows, fingerprint: info.fingerprint.slice(0, 128), file: info.file.slice(0, 500) };
}

function trainPart(run: RunRecord | undefined, info: DataPartInfo | undefined) {
  const train = run?.data.train ?? info;
  return train ? { train: part(train) } : {};
}

function changes(run: RunRecord | undefined, champion: Predictor | undefined): string[] {
  const championRun = RunRecord.safeParse(champion?.manifest.run);
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
