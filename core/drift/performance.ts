import type { Gate } from "../config/schema.js";
import { openData } from "../data/readers/index.js";
import type { Cell, ReadOptions } from "../data/types.js";
import { UserError } from "../errors.js";
import { evaluateGates } from "../gate/index.js";
import { computeAll, metricsFor } from "../metrics/index.js";
import type { MetricValues } from "../metrics/schema.js";
import type { ModelManifest } from "../model/schema.js";
import type { LoggedOutput } from "./log.js";
import type { LiveMetrics } from "./schema.js";

/** Labelled rows below which live metrics are shown but not judged (about where a rate's CI is +-0.18). */
export const DEFAULT_MIN_LABELS = 30;

export interface LiveMetricsOptions {
  cwd: string;
  read?: ReadOptions;
  /** Column of the labels file that keys rows; default `idColumn`, else `id`, else `requestId`. */
  key?: string;
  /** The data's id column (data.id): logged rows carry its value as their id. */
  idColumn?: string;
  /** Labelled rows needed before the gates say anything (default 30). */
  minLabels?: number;
  /** The prediction log the labels are joined to, for messages. */
  logFile?: string;
  /** How the door names the key and column options, for messages. */
  fields?: { labelKey?: string; labelColumn?: string };
  /** Column that holds the true value; default the model's target, else `label`. */
  column?: string;
  gates: readonly Gate[];
  significance: number;
  /** The training metrics; only the task's metrics are kept. */
  baseline: MetricValues;
}

/**
 * Joins late ground-truth labels to logged predictions by request id, scores them with the model's
 * metrics, and holds them against the training metrics with the project's gates: a failed gate is
 * "degraded". maxDrop/maxIncrease have no paired test here (other rows), so their threshold decides.
 */
export async function liveMetrics(
  labelsFile: string,
  log: { outputs: Map<string, LoggedOutput>; aliases?: Map<string, string> },
  manifest: ModelManifest,
  options: LiveMetricsOptions,
): Promise<LiveMetrics> {
  const { outputs, aliases } = log;
  const { labels: truth, key } = await readLabels(labelsFile, manifest, options);
  const task = manifest.task;
  const classes = manifest.classes ?? [];
  const classIndex = new Map(classes.map((name, i) => [name, i]));
  const pairs: Array<{ truth: string; out: LoggedOutput }> = [];
  let missingIds = 0;
  let unknownLabels = 0;
  for (const [id, value] of truth) {
    const alias = aliases?.get(id);
    const out = outputs.get(id) ?? (alias === undefined ? undefined : outputs.get(alias));
    if (!out) missingIds++;
    else if (task === "classification" && !classIndex.has(value)) unknownLabels++;
    else pairs.push({ truth: value, out });
  }
  const known = new Set(metricsFor(task).map((m) => m.name));
  const baseline = Object.fromEntries(Object.entries(options.baseline).filter(([name]) => known.has(name)));
  const minLabels = options.minLabels ?? DEFAULT_MIN_LABELS;
  const tooFewLabels = pairs.length < minLabels;
  const base = {
    task,
    key,
    minLabels,
    tooFewLabels,
    labelled: pairs.length,
    unlabelled: outputs.size - (truth.size - missingIds),
    missingIds,
    unknownLabels,
    baseline,
  };
  if (pairs.length === 0) throw noneJoined(labelsFile, { ...options, ...base, truth: truth.size });
  const metrics =
    task === "classification"
      ? computeAll("classification", classificationData(pairs, classes, classIndex))
      : computeAll("regression", {
          actual: Float64Array.from(pairs, (p) => Number(p.truth)),
          predicted: Float64Array.from(pairs, (p) => p.out.value ?? Number.NaN),
        });
  // Too few labels to tell: the metrics are shown, the gates are not judged, so nothing "holds".
  if (tooFewLabels) return { ...base, metrics, gates: [], degraded: false };
  const gates = evaluateGates(
    options.gates,
    { metrics, champion: Object.keys(baseline).length > 0 ? baseline : undefined, tests: {} },
    { significance: options.significance, task },
  );
  return { ...base, metrics, gates, degraded: gates.some((g) => !g.passed) };
}

/** Nothing to score: said as an error, since a wrong key column looks exactly like this. */
function noneJoined(
  labelsFile: string,
  o: LiveMetricsOptions & { key: string; truth: number; missingIds: number; unknownLabels: number },
): UserError {
  const log = o.logFile ?? "the prediction log";
  const unknown = o.unknownLabels > 0 ? `, ${o.unknownLabels} with a class the model does not know` : "";
  return new UserError(
    `no label joined to ${log}: of ${o.truth} labels keyed by '${o.key}', ${o.missingIds} name an id the log does not hold${unknown}; '${o.key}' must hold the ids the server logged (requestId, or requestId:row for a batch; set ${o.fields?.labelKey ?? "--label-key"})`,
    { file: labelsFile, field: o.fields?.labelKey ?? "--label-key" },
  );
}

function classificationData(
  pairs: Array<{ truth: string; out: LoggedOutput }>,
  classes: string[],
  classIndex: Map<string, number>,
) {
  const k = classes.length;
  const probabilities = new Float32Array(pairs.length * k);
  pairs.forEach(({ out }, r) => {
    if (out.probabilities) {
      for (const [c, name] of classes.entries()) probabilities[r * k + c] = out.probabilities[name] ?? 0;
    } else {
      // Without probabilities the logged label counts as certain.
      const c = classIndex.get(String(out.label));
      if (c !== undefined) probabilities[r * k + c] = 1;
    }
  });
  return { labels: Int32Array.from(pairs, (p) => classIndex.get(p.truth)!), probabilities, classes };
}

/** Row id -> true value, from a CSV/JSON Lines/Parquet file; the last label of an id wins. */
async function readLabels(
  file: string,
  manifest: ModelManifest,
  options: LiveMetricsOptions,
): Promise<{ labels: Map<string, string>; key: string }> {
  const sources = await openData(file, { ...options.read, cwd: options.cwd });
  const first = sources[0]!;
  const has = (name: string | undefined) => name !== undefined && first.columns.includes(name);
  const idColumn = options.idColumn ?? manifest.preprocessor.id;
  const key = options.key ?? [idColumn, "id", "requestId"].find((name) => has(name)) ?? idColumn ?? "id";
  const column = options.column ?? (first.columns.includes(manifest.target) ? manifest.target : "label");
  for (const [name, flag] of [
    [key, options.fields?.labelKey ?? "--label-key"],
    [column, options.fields?.labelColumn ?? "--label-column"],
  ] as const) {
    if (!first.columns.includes(name)) {
      throw new UserError(`no column '${name}'; found [${first.columns.join(", ")}] (set ${flag})`, {
        file: first.name,
        line: 1,
      });
    }
  }
  const labels = new Map<string, string>();
  for (const source of sources) {
    const k = source.columns.indexOf(key);
    const v = source.columns.indexOf(column);
    for await (const batch of source.batches()) {
      for (let r = 0; r < batch.size; r++) {
        const id = text(batch.columns[k]![r]!);
        const value = text(batch.columns[v]![r]!);
        if (id !== undefined && value !== undefined) labels.set(id, value);
      }
    }
  }
  return { labels, key };
}

function text(cell: Cell): string | undefined {
  return cell === null || cell === "" ? undefined : String(cell);
}
