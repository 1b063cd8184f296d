import { writeFile } from "node:fs/promises";
import path from "node:path";
import { type DriftResult, renderDriftMarkdown } from "../../core/drift/index.js";
import {
  DRIFT_OPTIONS,
  type DriftOption,
  type DriftRequestInput,
  runDriftRequest,
} from "../../core/drift/request.js";
import { DriftMethodName } from "../../core/drift/schema.js";
import { ExitCode } from "../../core/errors.js";
import { isAlert } from "../../core/monitor/index.js";
import { printJson, projectConfig, stringFlag } from "../common.js";
import type { Command } from "../context.js";

export const driftCommand: Command = {
  name: "drift",
  summary: "compare current data (or a prediction log) to a reference; exit 1 on drift",
  usage:
    "drift --reference PATH --current PATH [--method M] [--threshold T] [--columns a,b] [--min-rows N]\n" +
    "       drift --model DIR --log FILE [--labels FILE] [--label-key COL] [--label-column COL] [--min-labels N]",
  details: [
    "PATH is a data file, glob or URL (CSV, TSV, JSON Lines, Parquet), or a stored profile (.json, e.g. the",
    "profile.json training saves beside a model). Defaults come from the config's drift: block.",
    `--method ${DriftMethodName.options.join("|")} (default auto: Evidently's choice; tests on`,
    "references of <= 1000 rows, distances above). --threshold: dataset drift when this share of columns drifted.",
    "--column-threshold: a p-value (tests) or distance (distances) instead of the method's 0.05 / 0.1.",
    "--min-effect (opt-in): the effect size a significant test needs to count: Cohen's h for two values, w for",
    "more, Wasserstein over the reference's robust spread (IQR / 1.349) for numbers. Default off, as Evidently;",
    "Cohen's 'small' effects are h = 0.2 and w = 0.1, and 0.1 is Evidently's cut for normalised Wasserstein.",
    "Nothing to compare fails: an unknown --columns name exits 2; empty current data, no shared or comparable",
    "column, or fewer current rows than --min-rows (drift.minRows) exit 1.",
    "--model DIR: reference = DIR/profile.json, features and target from DIR/modelgate.json. With --log the",
    "prediction server's JSON Lines log is the current data; its outputs are compared to the training target.",
    "--labels: late ground truth, one row per logged row, keyed by the data.id column (else id, else requestId):",
    "a logged row's id is its data.id value, else requestId:row (a one-row request also answers to requestId).",
    "Joined to the log, scored, and held against the training metrics (or --baseline FILE, JSON {metrics}) with",
    "the config's gates: a failed gate is 'degraded'; fewer than --min-labels (drift.minLabels, 30) matched",
    "rows is 'too few labels' (metrics shown, gates not judged).",
    "--out FILE writes the JSON result, --markdown FILE the report. Exit 1 on drift, prediction drift or degradation.",
  ],
  flags: Object.fromEntries(
    [...Object.keys(DRIFT_OPTIONS), "out", "markdown"].map((name) => [name, { type: "string" as const }]),
  ),
  async run(_positionals, flags, ctx) {
    const loaded = await projectConfig(ctx, false);
    const input: DriftRequestInput = {};
    for (const option of Object.keys(DRIFT_OPTIONS) as DriftOption[]) {
      const value = stringFlag(flags, option);
      if (value !== undefined) input[option] = value;
    }
    const result = await runDriftRequest(input, {
      cwd: ctx.io.cwd,
      logger: ctx.logger,
      loaded,
      field: (option) => `--${option}`,
    });
    const config = loaded?.config;
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
    ...(result.performance ? [performanceLine(result.performance)] : []),
    ...result.missingColumns.map((c) => `missing in current: ${c}`),
    ...result.newColumns.map((c) => `new in current: ${c}`),
  ];
  return `${[head, ...lines, ...extra].join("\n")}\n`;
}

function performanceLine(p: NonNullable<DriftResult["performance"]>): string {
  const verdict = p.tooFewLabels
    ? `too few labels (${p.minLabels} needed)`
    : p.degraded
      ? "DEGRADED"
      : "holds";
  return `live performance: ${verdict} on ${p.labelled} labelled rows joined by '${p.key}' (${p.missingIds} label ids not in the log, ${p.unlabelled} rows unlabelled)`;
}
