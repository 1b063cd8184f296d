import path from "node:path";
import { ExitCode } from "../../core/errors.js";
import { evaluateProject, writeReport } from "../../core/pipeline/evaluate.js";
import { trainProject } from "../../core/pipeline/train.js";
import { gitInfo } from "../../core/tracking/git.js";
import { RunStore } from "../../core/tracking/index.js";
import { printJson, projectConfig } from "../common.js";
import type { Command } from "../context.js";
import { championFor } from "./champion.js";
import { storeRoot, verdictLine } from "./model.js";
import { validateCommand } from "./validate.js";

export const runCommand: Command = {
  name: "run",
  summary:
    "the whole pipeline on the project: validate, train, evaluate against the champion, report (what npm start runs)",
  usage: "run [--config FILE]",
  details: [
    "Writes the model and report.{json,md,html} under .modelgate/artifacts/<run id>/ and prints the gate verdict.",
    "The champion is the registry's 'champion' alias; without one, only absolute gates (min, max) apply.",
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

    const store = new RunStore(storeRoot(loaded));
    const git = await gitInfo(loaded.root);
    const trained = await trainProject(loaded, { cwd: ctx.io.cwd, logger: ctx.logger, store, git });
    const champion = await championFor(loaded, ctx.io.cwd);
    const { report } = await ctx.logger.group("evaluate", () =>
      evaluateProject(loaded, {
        cwd: ctx.io.cwd,
        modelDir: trained.dir,
        championDir: champion?.dir,
        championLabel: champion?.label,
        logger: ctx.logger,
        store,
        git,
      }),
    );
    const files = await writeReport(path.join(path.dirname(trained.dir), "report.json"), report);
    if (ctx.json) printJson(ctx, { model: trained.dir, report: files, result: report });
    else {
      const rel = (f: string) => path.relative(ctx.io.cwd, f);
      ctx.io.stdout.write(
        `model   ${rel(trained.dir)}\nreport  ${rel(files.markdown)}\n        ${rel(files.html)}\n`,
      );
      ctx.io.stdout.write(verdictLine(report));
    }
    return report.passed ? ExitCode.ok : ExitCode.checkFailed;
  },
};
