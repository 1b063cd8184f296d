import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { LoadedConfig } from "../../core/config/index.js";
import { ExitCode, fsError, UserError } from "../../core/errors.js";
import { evaluateProject, writeReport } from "../../core/pipeline/evaluate.js";
import { trainProject } from "../../core/pipeline/train.js";
import { parseReportText, renderHtml, renderMarkdown } from "../../core/report/index.js";
import { gitInfo } from "../../core/tracking/git.js";
import { RunStore } from "../../core/tracking/index.js";
import { printJson, projectConfig, requirePositional, stringFlag } from "../common.js";
import type { Command, Context, Flags } from "../context.js";
import { interruptible } from "../interrupt.js";
import { championFor } from "./champion.js";

export function storeRoot(loaded: LoadedConfig): string {
  return path.resolve(loaded.root, loaded.config.registry.path);
}

export const trainCommand: Command = {
  name: "train",
  summary: "train the project's model; DIR gets model.json, weights.bin and modelgate.json",
  usage: "train [--out DIR [--force]] [--param NAME=VALUE ...]",
  details: [
    "Default DIR: .modelgate/artifacts/<run id>/model. Every training is tracked (see 'modelgate runs').",
    "The model is written beside DIR as .DIR.partial-<id> and renamed into place when complete, so a",
    "failed or interrupted training (Ctrl-C: exit 130, SIGTERM: 143) leaves no model folder.",
    "A non-empty DIR is refused unless --force (the old folder is replaced only once the new one is complete).",
    "With model.command in the config, your program trains; --param sets one of its declared model.params.",
  ],
  flags: { out: { type: "string" }, force: { type: "boolean" }, param: { type: "string", multiple: true } },
  async run(_positionals, flags, ctx) {
    const loaded = (await projectConfig(ctx, true))!;
    const out = stringFlag(flags, "out");
    const params = paramFlags(flags);
    return interruptible(ctx, async (signal) => {
      const result = await trainProject(loaded, {
        cwd: ctx.io.cwd,
        out: out ? path.resolve(ctx.io.cwd, out) : undefined,
        force: flags.force === true,
        signal,
        ...(params ? { commandParams: params } : {}),
        env: ctx.io.env,
        logger: ctx.logger,
        store: new RunStore(storeRoot(loaded)),
        git: await gitInfo(loaded.root),
      });
      if (ctx.json) printJson(ctx, { model: result.dir, run: result.run });
      else ctx.io.stdout.write(`${path.relative(ctx.io.cwd, result.dir) || "."}\n`);
      return ExitCode.ok;
    });
  },
};

/** --param NAME=VALUE, repeated: values for model.params, checked against the declarations in core. */
function paramFlags(flags: Flags): Record<string, string> | undefined {
  const given = flags.param;
  if (!Array.isArray(given) || given.length === 0) return undefined;
  return Object.fromEntries(
    given.map((pair) => {
      const at = pair.indexOf("=");
      if (at < 1) throw new UserError(`expected NAME=VALUE, found '${pair}'`, { field: "--param" });
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

export const evaluateCommand: Command = {
  name: "evaluate",
  summary:
    "score a model, compare it with the champion on the same rows, apply the gates; exit 1 when one fails",
  usage: "evaluate --model DIR [--champion DIR|none] [--data F] [--out F]",
  details: [
    "--out F writes the report JSON to F and report.md/report.html beside it.",
    "Without --champion the registry's champion alias is the baseline (downloaded, sha256-checked); without one",
    "the report says 'First model: no comparison'. --champion none compares with nothing: only min/max gates apply.",
  ],
  flags: {
    model: { type: "string" },
    champion: { type: "string" },
    data: { type: "string" },
    out: { type: "string" },
  },
  async run(_positionals, flags, ctx) {
    const loaded = (await projectConfig(ctx, true))!;
    const modelDir = stringFlag(flags, "model");
    if (!modelDir)
      throw new UserError(
        "missing --model DIR (a folder written by 'modelgate train' or 'modelgate import')",
        {
          field: "--model",
        },
      );
    const champion = await championFor(ctx, loaded, stringFlag(flags, "champion"));
    const { report } = await evaluateProject(loaded, {
      cwd: ctx.io.cwd,
      modelDir: path.resolve(ctx.io.cwd, modelDir),
      championDir: champion.dir,
      championLabel: champion.label,
      baseline: champion.baseline,
      data: stringFlag(flags, "data"),
      logger: ctx.logger,
      store: new RunStore(storeRoot(loaded)),
      git: await gitInfo(loaded.root),
    });
    const out = stringFlag(flags, "out");
    if (out) await writeReportFiles(ctx, out, report);
    if (ctx.json) printJson(ctx, report);
    else ctx.io.stdout.write(verdictLine(report));
    return report.passed ? ExitCode.ok : ExitCode.checkFailed;
  },
};

export const reportCommand: Command = {
  name: "report",
  summary: "render a report JSON as the pull-request comment (markdown) or a self-contained HTML page",
  usage: "report REPORT.json [--format markdown|html]",
  flags: { format: { type: "string" } },
  async run(positionals, flags, ctx) {
    const file = requirePositional(positionals, 0, "REPORT");
    const format = stringFlag(flags, "format") ?? "markdown";
    if (format !== "markdown" && format !== "html") {
      throw new UserError(`expected markdown or html, found '${format}'`, { field: "--format" });
    }
    let text: string;
    try {
      text = await readFile(path.resolve(ctx.io.cwd, file), "utf8");
    } catch (error) {
      throw fsError(error, file);
    }
    const report = parseReportText(text, file);
    ctx.io.stdout.write(format === "html" ? renderHtml(report) : renderMarkdown(report));
    return ExitCode.ok;
  },
};

async function writeReportFiles(ctx: Context, out: string, report: Parameters<typeof writeReport>[1]) {
  const file = path.resolve(ctx.io.cwd, out);
  await mkdir(path.dirname(file), { recursive: true });
  const files = await writeReport(file, report);
  ctx.logger.info(
    `report written: ${[files.json, files.markdown, files.html].map((f) => path.relative(ctx.io.cwd, f)).join(", ")}`,
  );
}

export function verdictLine(report: {
  passed: boolean;
  outcome?: "passed" | "failed" | "inconclusive";
  gates: Array<{ passed: boolean; metric: string; reason: string }>;
  metrics: Record<string, number>;
  primaryMetric: string;
}): string {
  const primary = report.metrics[report.primaryMetric];
  const blocking = report.gates.filter((g) => !g.passed);
  const word = report.outcome === "inconclusive" ? "inconclusive" : "failed";
  const head = report.passed
    ? "✓ gate passed"
    : `✗ gate ${word}: ${blocking.map((g) => `${g.metric} (${g.reason})`).join("; ")}`;
  return `${head}; ${report.primaryMetric} = ${primary === undefined ? "n/a" : primary.toFixed(4)}\n`;
}
