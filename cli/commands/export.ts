import path from "node:path";
import { ExitCode, UserError } from "../../core/errors.js";
import { EXPORT_FORMATS, exportFormat, exportModel } from "../../core/export/index.js";
import { printJson, stringFlag } from "../common.js";
import type { Command } from "../context.js";
import { VERSION } from "../main.js";

export const exportCommand: Command = {
  name: "export",
  summary: "write a model in another format (ONNX), preprocessing included",
  usage: "export --model DIR --format FORMAT [--out FILE] [--force]",
  details: [
    `FORMAT: ${[...EXPORT_FORMATS.values()].map((f) => `${f.name} (${f.summary})`).join("; ")}.`,
    "Default FILE: the model folder's name plus the format's extension (model.onnx), in the current folder.",
    "An existing FILE is kept unless --force. See docs/export.md for the graph's inputs and outputs.",
  ],
  flags: {
    model: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean" },
  },
  async run(_positionals, flags, ctx) {
    const modelDir = stringFlag(flags, "model");
    if (!modelDir)
      throw new UserError("missing --model DIR (a folder written by 'modelgate train')", {
        field: "--model",
      });
    const formatName = stringFlag(flags, "format");
    if (!formatName) {
      throw new UserError(`missing --format (one of: ${[...EXPORT_FORMATS.keys()].join(", ")})`, {
        field: "--format",
      });
    }
    const out = stringFlag(flags, "out");
    const result = await exportModel({
      modelDir,
      format: exportFormat(formatName, "--format"),
      ...(out ? { out } : {}),
      cwd: ctx.io.cwd,
      force: flags.force === true,
      producerVersion: VERSION,
      logger: ctx.logger,
    });
    if (ctx.json) printJson(ctx, result);
    else {
      const shown = path.relative(ctx.io.cwd, result.file) || result.file;
      ctx.io.stdout.write(`${shown}\n`);
      ctx.logger.info(
        `${result.format}, ${result.bytes} bytes; inputs: ${result.inputs.map((i) => `${i.name} ${i.type}`).join(", ")}`,
      );
    }
    return ExitCode.ok;
  },
};
