import { loadDataSchema } from "../../core/data-schema/index.js";
import { ExitCode } from "../../core/errors.js";
import { renderValidationText } from "../../core/pipeline/render-validation.js";
import { validateData } from "../../core/pipeline/validate.js";
import { configPath, intFlag, printJson, projectConfig, stringFlag } from "../common.js";
import type { Command } from "../context.js";

export const validateCommand: Command = {
  name: "validate",
  summary: "check data against its schema; exit 1 when it is invalid",
  usage: "validate [--data PATH] [--schema FILE] [--max-errors N]",
  details: [
    "PATH is a file, a glob or an http(s) URL (CSV, TSV, JSON Lines or arrays, Parquet; .gz/.zst). Without --data, the config's",
    "data.train (and data.test) are checked. Without a schema only structure and type consistency are",
    "checked (a column's type is what most of its cells are; a change of type is an error at its first line).",
    "Errors list 1-based file lines (the header is line 1), at most --max-errors per check (default 20).",
  ],
  flags: {
    data: { type: "string" },
    schema: { type: "string" },
    "max-errors": { type: "string" },
    target: { type: "string" },
    id: { type: "string" },
    delimiter: { type: "string" },
    workers: { type: "string" },
  },
  async run(_positionals, flags, ctx) {
    const loaded = await projectConfig(ctx, stringFlag(flags, "data") === undefined);
    const data = loaded?.config.data;
    const fromConfig = (x: string | undefined) => (loaded && x ? configPath(ctx, loaded, x) : undefined);
    const locations = stringFlag(flags, "data")
      ? [stringFlag(flags, "data")!]
      : [fromConfig(data?.train), fromConfig(data?.test)].filter((x): x is string => x !== undefined);
    const schemaFile = stringFlag(flags, "schema") ?? fromConfig(data?.schema);
    const schema = schemaFile ? await loadDataSchema(schemaFile, ctx.io.cwd) : undefined;

    const results = [];
    for (const location of locations) {
      results.push(
        await validateData(location, {
          cwd: ctx.io.cwd,
          schema,
          target: stringFlag(flags, "target") ?? data?.target,
          id: stringFlag(flags, "id") ?? data?.id,
          maxErrors: intFlag(flags, "max-errors", { fallback: 20 }),
          workers: intFlag(flags, "workers"),
          read: { delimiter: stringFlag(flags, "delimiter") ?? data?.delimiter },
          missing: data?.missing,
          logger: ctx.logger,
        }),
      );
    }
    if (ctx.json) printJson(ctx, results.length === 1 ? results[0] : results);
    else for (const result of results) ctx.io.stdout.write(renderValidationText(result));
    return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.checkFailed;
  },
};
