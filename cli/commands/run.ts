import path from "node:path";
import type { LoadedConfig } from "../../core/config/index.js";
import { ExitCode } from "../../core/errors.js";
import { evaluateProject, writeReport } from "../../core/pipeline/evaluate.js";
import { trainProject } from "../../core/pipeline/train.js";
import { registerModel } from "../../core/registry/index.js";
import type { Report } from "../../core/report/index.js";
import { gitInfo } from "../../core/tracking/git.js";
import { RunStore } from "../../core/tracking/index.js";
import { printJson, projectConfig } from "../common.js";
import type { Command, Context } from "../context.js";
import { interruptible } from "../interrupt.js";
import { championFor } from "./champion.js";
import { storeRoot, verdictLine } from "./model.js";
import { openStore } from "./registry.js";
import { validateCommand } from "./validate.js";

export const runCommand: Command = {
  name: "run",
  summary:
    "the whole pipeline on the project: validate, train, evaluate against the champion, report (what npm start runs)",
  usage: "run [--config FILE]",
  details: [
    "Writes the model and report.{json,md,html} under .modelgate/artifacts/<run id>/ and prints the gate verdict.",
    "The champion is the registry's 'champion' alias; without one, only absolute gates (min, max) apply.",
    "The model is registered as a new version aliased 'challenger' (the first to pass becomes 'champion').",
  ],
  flags: {},
  async run(positionals, flags, ctx) {
    const loaded = (await projectConfig(ctx, true))!;
    const quietCtx = {
      ...ctx,
      json: false,
      io: { ...ctx.io, stdout: ctx.json ? { write: () => true } : ctx.io.stdout },
    };
    const validated = await ctx.logger.group("validate", () =>
      validateCommand.run(positionals, flags, quietCtx),
    );
    if (validated !== ExitCode.ok) return validated;

    return interruptible(ctx, (signal) => trainAndGate(ctx, loaded, signal));
  },
};

async function trainAndGate(ctx: Context, loaded: LoadedConfig, signal: AbortSignal): Promise<number> {
  const store = new RunStore(storeRoot(loaded));
  const git = await gitInfo(loaded.root);
  const trained = await trainProject(loaded, {
    cwd: ctx.io.cwd,
    logger: ctx.logger,
    store,
    git,
    signal,
    env: ctx.io.env,
  });
  const champion = await championFor(ctx, loaded, undefined);
  const { report } = await ctx.logger.group("evaluate", () =>
    evaluateProject(loaded, {
      cwd: ctx.io.cwd,
      modelDir: trained.dir,
      championDir: champion.dir,
      championLabel: champion.label,
      baseline: champion.baseline,
      logger: ctx.logger,
      store,
      git,
    }),
  );
  const files = await writeReport(path.join(path.dirname(trained.dir), "report.json"), report);
  const registered = await register(ctx, loaded, trained.dir, report, champion.dir === undefined);
  if (ctx.json) printJson(ctx, { model: trained.dir, registered, report: files, result: report });
  else {
    const rel = (f: string) => path.relative(ctx.io.cwd, f);
    ctx.io.stdout.write(
      `model   ${rel(trained.dir)}\n        registered as ${registered}\nreport  ${rel(files.markdown)}\n        ${rel(files.html)}\n`,
    );
    ctx.io.stdout.write(verdictLine(report));
  }
  return report.passed ? ExitCode.ok : ExitCode.checkFailed;
}

/**
 * Every run's model becomes a registry version aliased `challenger`. The first one that passes its
 * gates while there is no champion becomes the champion, so the next run has a baseline.
 */
async function register(
  ctx: Context,
  loaded: LoadedConfig,
  dir: string,
  report: Report,
  noChampion: boolean,
): Promise<string> {
  const { store } = await openStore(ctx, {});
  const name = loaded.config.name;
  const passed = report.passed;
  const version = await registerModel({
    store,
    modelDir: dir,
    project: {
      name,
      target: loaded.config.data.target,
      ...(loaded.config.model.task ? { task: loaded.config.model.task } : {}),
    },
    evaluation: { metrics: report.metrics, testFingerprint: report.data.test?.fingerprint },
    logger: ctx.logger,
  });
  await store.setAlias(name, "challenger", version.version, { reason: "modelgate run" });
  if (passed && noChampion) {
    await store.setAlias(name, "champion", version.version, { reason: "first model to pass the gates" });
    return `${name} v${version.version}, now the champion`;
  }
  return `${name} v${version.version}, challenger`;
}
