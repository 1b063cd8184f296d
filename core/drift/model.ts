import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Gate } from "../config/schema.js";
import type { ReadOptions } from "../data/types.js";
import { fsError, UserError } from "../errors.js";
import { MetricValues } from "../metrics/schema.js";
import { ModelManifest } from "../model/schema.js";
import { parseAt } from "../parse.js";
import type { Logger } from "../ports.js";
import { type CompareOptions, compareColumn, compareProfiles } from "./compare.js";
import { hintsFromProfile } from "./hints.js";
import { loadSide } from "./load.js";
import { readPredictionLog } from "./log.js";
import { liveMetrics } from "./performance.js";
import type { DriftResult } from "./schema.js";

/** Where training leaves the reference profile (core/pipeline/train.ts REFERENCE_PROFILE). */
const PROFILE_FILE = "profile.json";
const MANIFEST_FILE = "modelgate.json";
const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;

export interface ModelDriftOptions extends Omit<CompareOptions, "sorted"> {
  cwd: string;
  logger: Logger;
  read?: ReadOptions;
  /** The cell texts read as missing (`data.missing`); default: the shared list. */
  missing?: readonly string[];
  /** Model folder: modelgate.json (features, target, classes) and profile.json (training data). */
  model: string;
  /** The prediction server's JSON Lines log, read as current data. */
  log?: string;
  /** Current data instead of a log (no prediction drift then). */
  current?: string;
  /** Reference instead of the model's profile.json. */
  reference?: string;
  labels?: string;
  labelKey?: string;
  labelColumn?: string;
  /** The data's id column (data.id); default the one the model was trained with. */
  idColumn?: string;
  /** Labelled rows live performance needs before its gates are judged. */
  minLabels?: number;
  /** How the door names options, for messages. */
  fields?: { log?: string; labelKey?: string; labelColumn?: string };
  gates: readonly Gate[];
  significance: number;
  /** Training metrics to hold live ones against; default the run record saved in modelgate.json. */
  baseline?: MetricValues;
}

/** Feature drift, prediction drift and (with labels) live performance of one model. */
export async function detectModelDrift(options: ModelDriftOptions): Promise<DriftResult> {
  const manifest = await readManifest(options.model, options.cwd);
  const features = manifest.features.map((f) => f.name);
  const referenceFile = options.reference ?? path.join(options.model, PROFILE_FILE);
  const reading = { cwd: options.cwd, read: options.read, missing: options.missing, logger: options.logger };
  const reference = await loadSide(referenceFile, reading);
  const compare = {
    ...options,
    columns: options.columns ?? features,
    exclude: [manifest.target, ...(options.exclude ?? [])],
  };
  if (!options.log) {
    if (!options.current)
      throw new UserError("give a prediction log or current data", { field: options.fields?.log ?? "--log" });
    const hints = reference.from === "profile" ? hintsFromProfile(reference.profile) : undefined;
    const current = await loadSide(options.current, { ...reading, hints });
    return compareProfiles(reference.profile, current.profile, {
      ...compare,
      sorted: { reference: reference.sorted, current: current.sorted },
    });
  }
  const log = await options.logger.group(`read ${options.log}`, () =>
    readPredictionLog(options.log!, {
      cwd: options.cwd,
      features,
      keepOutputs: options.labels !== undefined,
      idColumn: options.idColumn ?? manifest.preprocessor.id,
    }),
  );
  if (log.badLines > 0) {
    const first = log.firstBadLine!;
    options.logger.warning(
      `${options.log}: ${log.badLines} bad lines left out (first: line ${first.line}: ${first.reason})`,
    );
  }
  const result = compareProfiles(reference.profile, log.inputs, compare);
  const target = reference.profile.columns[manifest.target];
  const predicted = log.predictions.columns.prediction;
  if (target && predicted && predicted.count > predicted.missing) {
    const outcome = compareColumn("prediction", target, predicted, options.method ?? "auto", options);
    if (!("skip" in outcome)) result.prediction = outcome;
    else options.logger.warning(`prediction drift not computed: ${outcome.skip}`);
  }
  if (options.labels) {
    result.performance = await liveMetrics(
      options.labels,
      { outputs: log.outputs!, aliases: log.aliases },
      manifest,
      {
        cwd: options.cwd,
        read: options.read,
        key: options.labelKey,
        column: options.labelColumn,
        idColumn: options.idColumn ?? manifest.preprocessor.id,
        minLabels: options.minLabels,
        logFile: options.log,
        fields: options.fields,
        gates: options.gates,
        significance: options.significance,
        baseline: options.baseline ?? runMetrics(manifest),
      },
    );
    const p = result.performance;
    if (p.tooFewLabels) {
      options.logger.warning(
        `too few labels: ${p.labelled} log rows matched a label (by '${p.key}'), ${p.minLabels} needed; live performance not judged`,
      );
    }
  }
  return result;
}

const RunMetrics = z.looseObject({ metrics: MetricValues });

function runMetrics(manifest: ModelManifest): MetricValues {
  const parsed = RunMetrics.safeParse(manifest.run);
  return parsed.success ? parsed.data.metrics : {};
}

export async function readManifest(dir: string, cwd: string): Promise<ModelManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    const info = await stat(path.resolve(cwd, file));
    if (info.size > MAX_MANIFEST_BYTES)
      throw new UserError(`file is ${info.size} bytes; the limit is ${MAX_MANIFEST_BYTES}`, { file });
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (error) {
    throw error instanceof UserError ? error : fsError(error, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError("not valid JSON; expected a model folder's modelgate.json", { file });
  }
  return parseAt(ModelManifest, json, { what: "not a model folder's modelgate.json", file });
}

const Baseline = z.union([z.looseObject({ metrics: MetricValues }), MetricValues]);

/** Training metrics from a JSON file: an evaluation report ({metrics: {...}}) or a plain {name: value}. */
export async function readBaselineMetrics(
  file: string | undefined,
  cwd: string,
): Promise<MetricValues | undefined> {
  if (!file) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.resolve(cwd, file), "utf8"));
  } catch (error) {
    throw error instanceof SyntaxError
      ? new UserError("not valid JSON; expected {metrics: {name: number}}", { file })
      : fsError(error, file);
  }
  const parsed = Baseline.safeParse(json);
  if (!parsed.success) throw new UserError("expected {metrics: {name: number}} or {name: number}", { file });
  const data = parsed.data;
  return MetricValues.safeParse(data.metrics).success
    ? (data.metrics as MetricValues)
    : (data as MetricValues);
}
