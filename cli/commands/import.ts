import path from "node:path";
import { ExitCode } from "../../core/errors.js";
import { modelKinds } from "../../core/model/index.js";
import { importModel } from "../../core/pipeline/import.js";
import { gitInfo } from "../../core/tracking/git.js";
import { RunStore } from "../../core/tracking/index.js";
import { printJson, projectConfig, requirePositional, stringFlag } from "../common.js";
import type { Command } from "../context.js";
import { storeRoot } from "./model.js";

export const importCommand: Command = {
  name: "import",
  summary: "turn an ONNX file or a TensorFlow.js model folder into a modelgate model folder",
  usage: "import FILE|DIR [--out DIR [--force]] [--preprocessor FILE]",
  details: [
    `Kinds: ${modelKinds()
      .filter((k) => k !== "modelgate-mlp")
      .join(", ")} (an .onnx file; a tfjs folder with model.json).`,
    "The signature (inputs, output, classes) is read from the graph and completed by model.signature in the",
    "config. The project's test rows are scored before DIR is written: a model that cannot load or score, or",
    "whose output is not class probabilities, is refused (exit 2) and nothing is left behind.",
    "--preprocessor FILE puts modelgate's preprocessing in front (a preprocessor JSON, or a model folder's",
    "modelgate.json): the model then takes the encoded rows. Default DIR: .modelgate/artifacts/import-<time>/model.",
    "A non-empty DIR is refused unless --force (it is replaced only once the import succeeded).",
  ],
  flags: { out: { type: "string" }, force: { type: "boolean" }, preprocessor: { type: "string" } },
  async run(positionals, flags, ctx) {
    const source = requirePositional(positionals, 0, "FILE|DIR");
    const loaded = (await projectConfig(ctx, true))!;
    const out = stringFlag(flags, "out");
    const preprocessor = stringFlag(flags, "preprocessor");
    const result = await importModel(loaded, {
      cwd: ctx.io.cwd,
      source: path.resolve(ctx.io.cwd, source),
      out: out
        ? path.resolve(ctx.io.cwd, out)
        : path.join(storeRoot(loaded), "artifacts", `import-${RunStore.newId(new Date())}`, "model"),
      ...(preprocessor ? { preprocessor: path.resolve(ctx.io.cwd, preprocessor) } : {}),
      force: flags.force === true,
      logger: ctx.logger,
      git: await gitInfo(loaded.root),
      by: ctx.io.env.GITHUB_ACTOR ?? ctx.io.env.USER,
    });
    if (ctx.json)
      printJson(ctx, { model: result.dir, kind: result.manifest.kind, signature: result.manifest.signature });
    else ctx.io.stdout.write(`${path.relative(ctx.io.cwd, result.dir) || "."}\n`);
    return ExitCode.ok;
  },
};
