import { writeFile } from "node:fs/promises";
import path from "node:path";
import {
  DriftMethodName,
  type DriftResult,
  detectDrift,
  detectModelDrift,
  readBaselineMetrics,
  renderDriftMarkdown,
} from "../../core/drift/index.js";
import { ExitCode, UserError } from "../../core/errors.js";
import { isAlert } from "../../core/monitor/index.js";
import { configPath, printJson, projectConfig, stringFlag } from "../common.js";
import type { Command, Flags } from "../context.js";

export const driftCommand: Command = {
  name: "drift",
  summary: "compare current data (or a prediction log) to a reference; exit 1 on drift",
  usage:
    "drift --reference PATH --current PATH [--method M] [--threshold T] [--columns a,b]\n" +
    "       drift --model DIR --log FILE [--labels FILE] [--label-key COL] [--label-column COL] [--baseline FILE]",
  details: [
    "PATH is a data file, glob or URL (CSV, TSV, JSON Lines, Parquet), or a stored profile (.json, e.g. the",
    "profile.json training saves beside a model). Defaults come from the config's drift: block.",
    "--method auto|ks|wasserstein|psi|jensenshannon|chisquare|z (default auto: Evidently's choice; tests on",
    "references of <= 1000 rows, distances above). --threshold: dataset drift when this share of columns drifted.",
    "--column-threshold: a p-value (tests) or distance (distances) instead of the method's 0.05 / 0.1.",
    "--min-effect: the effect size a significant test needs to count (default per measure; 0 turns it off).",
    "--model DIR: reference = DIR/profile.json, features and target from DIR/modelgate.json. With --log the",
    "prediction server's JSON Lines log is the current data; its outputs are compared to the training target.",
    "--labels: late ground truth keyed by requestId (or id); joined to the log, scored, and held against the",
    "training metrics (or --baseline FILE, JSON {metrics}) with the config's gates: a failed gate is 'degraded'.",
    "--out FILE writes the JSON result, --markdown FILE the report. Exit 1 on drift, prediction drift or degradation.",
  ],
  flags: {
    reference: { type: "string" },
    current: { type: "string" },
    method: { type: "string" },
    threshold: { type: "string" },
    "column-threshold": { type: "string" },
    "min-effect": { type: "string" },
    columns: { type: "string" },
    model: { type: "string" },
    log: { type: "string" },
    labels: { type: "string" },
    "label-key": { type: "string" },
    "label-column": { type: "string" },
    baseline: { type: "string" },
    out: { type: "string" },
    markdown: { type: "string" },
    delimiter: { type: "string" },
  },
  async run(_positionals, flags, ctx) {
    const loaded = await projectConfig(ctx, false);
    const config = loaded?.config;
    const fromConfig = (x: string | undefined) => (loaded && x ? configPath(ctx, loaded, x) : undefined);
    const method = parseMethod(stringFlag(flags, "method") ?? config?.drift.method);
    const compare = {
      method,
      threshold: share(flags, "threshold") ?? config?.drift.threshold,
      columnThreshold: positive(flags, "column-threshold"),
      minEffect: positive(flags, "min-effect", true),
      columns: stringFlag(flags, "columns")
        ?.split(",")
        .map((c) => c.trim())
        .filter(Boolean),
      cwd: ctx.io.cwd,
      read: { delimiter: stringFlag(flags, "delimiter") ?? config?.data.delimiter },
      logger: ctx.logger,
    };
    const model = stringFlag(flags, "model");
    const reference =
      stringFlag(flags, "reference") ?? (model ? undefined : fromConfig(config?.drift.reference));
    const current =
      stringFlag(flags, "current") ??
      (stringFlag(flags, "log") ? undefined : fromConfig(config?.drift.current));
    let result: DriftResult;
    if (model) {
      result = await detectModelDrift({
        ...compare,
        model,
        reference,
        current,
        log: stringFlag(flags, "log"),
        labels: stringFlag(flags, "labels"),
        labelKey: stringFlag(flags, "label-key"),
        labelColumn: stringFlag(flags, "label-column"),
        gates: config?.gates ?? [],
        significance: config?.significance ?? 0.05,
        baseline: await readBaselineMetrics(stringFlag(flags, "baseline"), ctx.io.cwd),
      });
    } else {
      if (!reference)
        throw new UserError("missing --reference (or drift.reference in the config)", {
          field: "--reference",
        });
      if (!current)
        throw new UserError("missing --current (or drift.current in the config)", { field: "--current" });
      if (stringFlag(flags, "log") || stringFlag(flags, "labels")) {
        throw new UserError(
          "--log and --labels need --model DIR (features, target and classes come from it)",
          { field: "--model" },
        );
      }
      result = await detectDrift(reference, current, compare);
    }
    const markdown = renderDriftMarkdown(result, `modelgate drift${config ? `: ${config.name}` : ""}`);
    const out = stringFlag(flags, "out");
    if (out) await writeFile(path.resolve(ctx.io.cwd, out), `${JSON.stringify(result, null, 2)}\n`);
    const markdownFile = stringFlag(flags, "markdown");
    if (markdownFile) await writeFile(path.resolve(ctx.io.cwd, markdownFile), markdown);
    if (ctx.json) printJson(ctx, result);
    else ctx.io.stdout.write(renderText(result));
    return isAlert(result) ? ExitCode.checkFailed : ExitCode.ok;
  },
};

function parseMethod(value: string | undefined): DriftMethodName | undefined {
  if (value === undefined) return undefined;
  const parsed = DriftMethodName.safeParse(value);
  if (!parsed.success) {
    throw new UserError(`unknown method '${value}'; expected one of ${DriftMethodName.options.join(", ")}`, {
      field: "--method",
    });
  }
  return parsed.data;
}

function positive(flags: Flags, name: string, zeroOk = false): number | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || (!zeroOk && n === 0)) {
    throw new UserError(`expected a number ${zeroOk ? ">= 0" : "> 0"}, found '${value}'`, {
      field: `--${name}`,
    });
  }
  return n;
}

function share(flags: Flags, name: string): number | undefined {
  const n = positive(flags, name);
  if (n !== undefined && n > 1)
    throw new UserError(`expected a share in (0, 1], found '${n}'`, { field: `--${name}` });
  return n;
}

function renderText(result: DriftResult): string {
  const lines = result.columns.map((c) => {
    const p = c.pValue === undefined ? "" : ` p=${c.pValue.toPrecision(3)}`;
    return `  ${c.drift ? "DRIFT" : "ok   "} ${c.column}: ${c.method} ${c.statistic.toPrecision(4)}${p} effect ${c.effectSize.toPrecision(3)}`;
  });
  const head = `${result.drift ? "dataset drift" : "no dataset drift"}: ${result.columns.filter((c) => c.drift).length}/${result.columns.length} columns (share ${result.share.toFixed(3)}, threshold ${result.threshold})`;
  const extra = [
    ...(result.prediction
      ? [
          `prediction drift: ${result.prediction.drift ? "yes" : "no"} (${result.prediction.method} ${result.prediction.statistic.toPrecision(4)})`,
        ]
      : []),
    ...(result.performance
      ? [
          `live performance: ${result.performance.degraded ? "DEGRADED" : "holds"} on ${result.performance.labelled} labelled rows (${result.performance.missingIds} label ids not in the log)`,
        ]
      : []),
    ...result.missingColumns.map((c) => `missing in current: ${c}`),
    ...result.newColumns.map((c) => `new in current: ${c}`),
  ];
  return `${[head, ...lines, ...extra].join("\n")}\n`;
}
