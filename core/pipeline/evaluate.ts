import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { LoadedConfig } from "../config/index.js";
import type { ColumnTable } from "../data/split.js";
import { UserError } from "../errors.js";
import { type Comparison, compareModels } from "../gate/index.js";
import { metricsFor } from "../metrics/index.js";
import type { ClassificationData, RegressionData, Task } from "../metrics/schema.js";
import { type BackendOptions, encodeTarget, loadPredictor, type Predictor } from "../model/index.js";
import type { Logger } from "../ports.js";
import { type Report, renderHtml, renderMarkdown } from "../report/index.js";
import type { Baseline } from "../report/schema.js";
import { finishedRun, RunStore } from "../tracking/index.js";
import { RunRecord } from "../tracking/schema.js";
import { diffModelData } from "./data-diff.js";
import { type DataPartInfo, loadProjectData, loadTable, type ProjectData } from "./dataset.js";
import { evaluationReport } from "./evaluate-report.js";

type Scored = ClassificationData | RegressionData;

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
  const { table, info } = await evaluationRows(loaded, options);
  const task = sameTask(challenger, champion);
  options.logger.info(`evaluating on ${info.test.rows} rows${champion ? " against the champion" : ""}`);
  const { scored, championScored } = await scoreBoth(challenger, champion, table, options);
  const comparison = compareModels(task, scored as never, championScored as never, config.gates, {
    significance: config.significance,
    onInconclusive: config.onInconclusive,
    seed: config.model.seed,
  });
  warnUndefinedMetrics(task, comparison, info.test.rows, options.logger);

  const trainRun = RunRecord.safeParse(challenger.manifest.run);
  const finished = new Date();
  const parent = trainRun.success ? trainRun.data.id : undefined;
  const scoredBy = challenger.backend;
  const run = evaluationRun(config.name, comparison, info, {
    ...options,
    started,
    finished,
    parent,
    scoredBy,
  });
  await options.store.save(run);

  // Rows changed since the champion, from the index and profile each model folder keeps.
  const dataDiff = options.championDir
    ? await diffModelData(options.modelDir, options.championDir)
    : undefined;
  const report = evaluationReport({
    config,
    comparison,
    task,
    scored,
    info,
    trainRun: trainRun.success ? trainRun.data : undefined,
    championManifest: champion?.manifest,
    backend: challenger.backend,
    dataDiff,
    finished,
    where: options,
  });
  return { report, run };
}

/** The evaluation's own run record: what was scored against what, its metrics and its verdict. */
function evaluationRun(
  name: string,
  comparison: Comparison,
  info: { train?: DataPartInfo; test: DataPartInfo },
  at: EvaluateProjectOptions & { started: Date; finished: Date; parent?: string; scoredBy: string },
): RunRecord {
  const { started, finished } = at;
  return finishedRun(
    { id: RunStore.newId(started), name, kind: "evaluate", started, git: at.git, parent: at.parent },
    {
      params: { model: at.modelDir, champion: at.championDir ?? null },
      history: [],
      metrics: comparison.metrics,
      data: { ...(info.train ? { train: info.train } : {}), test: info.test },
      backend: at.scoredBy,
      model: at.modelDir,
      tags: { passed: String(comparison.passed), outcome: comparison.outcome },
    },
    finished,
  );
}

/** The rows to score: the `data` file given, the rows handed in, or the project's test rows. */
async function evaluationRows(
  loaded: LoadedConfig,
  options: EvaluateProjectOptions,
): Promise<{ table: ColumnTable; info: { train?: DataPartInfo; test: DataPartInfo } }> {
  if (options.data) {
    const loadedData = await loadTable(options.data, {
      cwd: options.cwd,
      delimiter: loaded.config.data.delimiter,
    });
    return { table: loadedData.table, info: { test: loadedData.info, train: undefined } };
  }
  const project =
    options.project ?? (await loadProjectData(loaded, { cwd: options.cwd, logger: options.logger }));
  return { table: project.test, info: project.info };
}

function sameTask(challenger: Predictor, champion: Predictor | undefined): Task {
  const task = challenger.manifest.task;
  if (champion && champion.manifest.task !== task) {
    throw new UserError(`the champion is a ${champion.manifest.task} model, the challenger a ${task} model`, {
      field: "--champion",
    });
  }
  return task;
}

/** Both models scored on the same rows; their memory is freed after. */
async function scoreBoth(
  challenger: Predictor,
  champion: Predictor | undefined,
  table: ColumnTable,
  options: EvaluateProjectOptions,
): Promise<{ scored: Scored; championScored: Scored | undefined }> {
  const shown = (dir: string) => path.relative(options.cwd, dir) || ".";
  const scored = await score(challenger, table, shown(options.modelDir));
  const championScored = champion ? await score(champion, table, shown(options.championDir!)) : undefined;
  challenger.dispose();
  champion?.dispose();
  return { scored, championScored };
}

function warnUndefinedMetrics(task: Task, comparison: Comparison, rows: number, logger: Logger): void {
  const undefinedMetrics = metricsFor(task)
    .map((m) => m.name)
    .filter((name) => !(name in comparison.metrics));
  if (undefinedMetrics.length > 0) {
    logger.warning(
      `${undefinedMetrics.join(", ")}: not defined on these ${rows} rows (e.g. a single class), left out of the report`,
    );
  }
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

async function score(model: Predictor, table: ColumnTable, dir: string): Promise<Scored> {
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
