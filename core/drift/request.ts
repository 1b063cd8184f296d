import path from "node:path";
import { z } from "zod";
import type { LoadedConfig } from "../config/index.js";
import { resolveFrom } from "../config/index.js";
import { UserError } from "../errors.js";
import type { Logger } from "../ports.js";
import { detectDrift } from "./index.js";
import { detectModelDrift, readBaselineMetrics } from "./model.js";
import { DriftMethodName, type DriftResult } from "./schema.js";

// Doors import this file directly, so core/drift/index.ts stays free of config loading.
/**
 * One drift request for every door: the CLI's flags and the action's inputs carry the same names
 * (`--min-rows`, `with.min-rows`), are parsed here with the config's drift block as defaults, and
 * lead to data drift or model drift. Neither door builds its own, so they cannot diverge.
 */
export const DRIFT_OPTIONS = {
  reference: "reference data (file, glob, URL) or a stored profile (.json)",
  current: "current data (file, glob, URL) or a stored profile (.json)",
  model: "model folder (modelgate.json + profile.json); needed for log and labels",
  log: "the prediction server's JSON Lines log, read as current data",
  labels: "late ground truth joined to the log's rows (CSV, JSON Lines, Parquet)",
  "label-key": "column of the labels file that keys rows (default data.id, else id, else requestId)",
  "label-column": "column of the labels file holding the truth (default the model's target, else label)",
  baseline: "JSON file of training metrics ({metrics} or {name: value})",
  method: `per-column method: ${DriftMethodName.options.join(" | ")}`,
  threshold: "dataset drift when this share of columns drifted (default drift.threshold, 0.5)",
  "column-threshold": "a p-value (tests) or distance (distances) instead of the method's 0.05 / 0.1",
  "min-effect": "opt-in: the effect size a significant test needs to count as drift",
  columns: "comma-separated columns to compare; an unknown name is an error",
  "min-rows": "fewer current rows than this is 'nothing to compare' (default drift.minRows, 1)",
  "min-labels": "labelled rows live performance needs (default drift.minLabels, 30)",
  delimiter: "delimiter of delimited text files (default data.delimiter, else sniffed)",
} as const;
export type DriftOption = keyof typeof DRIFT_OPTIONS;

/** What a door read: each option as the text the user gave (undefined when not given). */
export type DriftRequestInput = Partial<Record<DriftOption, string>>;

export interface DriftRequestContext {
  cwd: string;
  logger: Logger;
  loaded?: LoadedConfig;
  /** How the door names an option in messages: `--min-rows` or `with.min-rows`. */
  field: (option: DriftOption) => string;
}

const number = z
  .string()
  .trim()
  .regex(/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, "expected a number")
  .transform(Number);
const PARSERS = {
  threshold: number.pipe(z.number().gt(0, "expected a share in (0, 1]").max(1, "expected a share in (0, 1]")),
  "column-threshold": number.pipe(z.number().gt(0, "expected a number > 0")),
  "min-effect": number.pipe(z.number().min(0)),
  "min-rows": number.pipe(z.number().int("expected a whole number").positive("expected a number >= 1")),
  "min-labels": number.pipe(z.number().int("expected a whole number").positive("expected a number >= 1")),
  method: DriftMethodName,
} as const;

function parsed<K extends keyof typeof PARSERS>(
  input: DriftRequestInput,
  key: K,
  ctx: DriftRequestContext,
): z.infer<(typeof PARSERS)[K]> | undefined {
  const raw = input[key];
  if (raw === undefined) return undefined;
  const result = PARSERS[key].safeParse(raw);
  if (result.success) return result.data as z.infer<(typeof PARSERS)[K]>;
  if (key === "method") {
    throw new UserError(`unknown method '${raw}'; expected one of ${DriftMethodName.options.join(", ")}`, {
      field: ctx.field(key),
    });
  }
  throw new UserError(`${result.error.issues[0]?.message ?? "invalid"}, found '${raw}'`, {
    field: ctx.field(key),
  });
}

/** Runs the request: data drift (reference vs current) or model drift (a model folder, maybe a log). */
export async function runDriftRequest(
  input: DriftRequestInput,
  ctx: DriftRequestContext,
): Promise<DriftResult> {
  const { loaded, cwd, logger } = ctx;
  const config = loaded?.config;
  const fromConfig = (location: string | undefined) => {
    if (!loaded || !location) return undefined;
    const resolved = resolveFrom(loaded.root, location);
    return /^https?:\/\//i.test(resolved) ? resolved : path.relative(cwd, resolved) || ".";
  };
  const columns = input.columns
    ?.split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  if (input.columns !== undefined && columns?.length === 0) {
    throw new UserError("no column names given", { field: ctx.field("columns") });
  }
  const compare = {
    method: parsed(input, "method", ctx) ?? config?.drift.method,
    threshold: parsed(input, "threshold", ctx) ?? config?.drift.threshold,
    columnThreshold: parsed(input, "column-threshold", ctx),
    minEffect: parsed(input, "min-effect", ctx),
    minRows: parsed(input, "min-rows", ctx) ?? config?.drift.minRows,
    columns,
    columnsField: ctx.field("columns"),
    cwd,
    read: { delimiter: input.delimiter ?? config?.data.delimiter },
    missing: config?.data.missing,
    logger,
  };
  const minLabels = parsed(input, "min-labels", ctx) ?? config?.drift.minLabels;
  const { model, log, labels } = input;
  const reference = input.reference ?? (model ? undefined : fromConfig(config?.drift.reference));
  const current = input.current ?? (log ? undefined : fromConfig(config?.drift.current));
  if (model) {
    return detectModelDrift({
      ...compare,
      model,
      reference,
      current,
      log,
      labels,
      labelKey: input["label-key"],
      labelColumn: input["label-column"],
      idColumn: config?.data.id,
      minLabels,
      gates: config?.gates ?? [],
      significance: config?.significance ?? 0.05,
      baseline: await readBaselineMetrics(input.baseline, cwd),
      fields: {
        log: ctx.field("log"),
        labelKey: ctx.field("label-key"),
        labelColumn: ctx.field("label-column"),
      },
    });
  }
  if (log || labels) {
    throw new UserError(
      `${ctx.field(log ? "log" : "labels")} needs ${ctx.field("model")} (features, target and classes come from it)`,
      {
        field: ctx.field("model"),
      },
    );
  }
  if (!reference) {
    throw new UserError(`missing ${ctx.field("reference")} (or drift.reference in the config)`, {
      field: ctx.field("reference"),
    });
  }
  if (!current) {
    throw new UserError(`missing ${ctx.field("current")} (or drift.current in the config)`, {
      field: ctx.field("current"),
    });
  }
  return detectDrift(reference, current, compare);
}
