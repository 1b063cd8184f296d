import { ExitCode } from "../../core/errors.js";
import type { Command } from "../context.js";
import { validateCommand } from "./validate.js";

export const runCommand: Command = {
  name: "run",
  summary: "the whole pipeline on the project: validate, train, evaluate, report (what npm start runs)",
  usage: "run [--config FILE]",
  flags: {},
  async run(positionals, flags, ctx) {
    const validated = await ctx.logger.group("validate", () => validateCommand.run(positionals, flags, ctx));
    if (validated !== ExitCode.ok) return validated;
    return ExitCode.ok;
  },
};
