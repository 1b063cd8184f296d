import { writeFile } from "node:fs/promises";
import path from "node:path";
import { openData } from "../../core/data/readers/index.js";
import { inferSchema, renderSchemaYaml } from "../../core/data-schema/index.js";
import { diffData, duplicateIdWarning, renderDiffMarkdown } from "../../core/diff/index.js";
import { guessHints } from "../../core/drift/index.js";
import { ExitCode, fsError, UserError } from "../../core/errors.js";
import { profileData } from "../../core/scan/profile-data.js";
import { intFlag, printJson, projectConfig, requirePositional, stringFlag } from "../common.js";
import type { Command } from "../context.js";

export const schemaCommand: Command = {
  name: "schema",
  summary: "schema infer DATA: print a data schema inferred from a data file",
  usage: "schema infer DATA [--target COL] [--id COL] [--out FILE]",
  flags: {
    target: { type: "string" },
    id: { type: "string" },
    out: { type: "string" },
    delimiter: { type: "string" },
  },
  async run(positionals, flags, ctx) {
    if (positionals[0] !== "infer") {
      throw new UserError(`expected 'schema infer DATA', found '${positionals.join(" ")}'`, { field: "--" });
    }
    const data = requirePositional(positionals, 1, "DATA");
    const loaded = await projectConfig(ctx, false);
    const sources = await openData(data, { cwd: ctx.io.cwd, delimiter: stringFlag(flags, "delimiter") });
    const schema = await inferSchema(sources, {
      target: stringFlag(flags, "target") ?? loaded?.config.data.target,
      id: stringFlag(flags, "id") ?? loaded?.config.data.id,
      missing: loaded?.config.data.missing,
    });
    const out = stringFlag(flags, "out");
    if (out) await writeOut(ctx.io.cwd, out, renderSchemaYaml(schema));
    if (ctx.json) printJson(ctx, schema);
    else if (!out) ctx.io.stdout.write(renderSchemaYaml(schema));
    return ExitCode.ok;
  },
};

export const profileCommand: Command = {
  name: "profile",
  summary: "write a mergeable column profile (counts, quantile sketch, top values)",
  usage: "profile DATA [--out FILE]",
  flags: { out: { type: "string" }, delimiter: { type: "string" } },
  async run(positionals, flags, ctx) {
    const data = requirePositional(positionals, 0, "DATA");
    const loaded = await projectConfig(ctx, false);
    const sources = await openData(data, { cwd: ctx.io.cwd, delimiter: stringFlag(flags, "delimiter") });
    // The scan engine validate and drift read with: a large CSV file in byte ranges on every core, typed.
    const missing = loaded?.config.data.missing;
    const scanned = await profileData(sources, {
      cwd: ctx.io.cwd,
      jobs: missing ? { missing: [...missing] } : {},
      hints: guessHints,
      logger: ctx.logger,
    });
    const profile = scanned.profile.finish();
    const out = stringFlag(flags, "out");
    if (out) {
      await writeOut(ctx.io.cwd, out, `${JSON.stringify(profile)}\n`);
      ctx.logger.info(`wrote ${out} (${profile.rows} rows, ${Object.keys(profile.columns).length} columns)`);
    }
    if (ctx.json || !out) printJson(ctx, profile);
    return ExitCode.ok;
  },
};

export const diffCommand: Command = {
  name: "diff",
  summary: "semantic data diff: rows added/removed/changed (by id), per-column distribution change",
  usage: "diff OLD NEW [--id COL] [--max-examples N] [--strict]",
  details: [
    "--id (default data.id) keys rows: added, removed and changed rows by id. An id that is not unique",
    "is warned about (only each id's first row is compared); with --strict it exits 2.",
    "Columns of dates (ISO 8601, YYYY/MM/DD HH:MM, MM/DD/YYYY; the cell grammar of data.missing and dates",
    "every command shares) are compared as instants; missing cells (NA, null, ...) count for neither side.",
  ],
  flags: {
    id: { type: "string" },
    "max-examples": { type: "string" },
    delimiter: { type: "string" },
    strict: { type: "boolean" },
  },
  async run(positionals, flags, ctx) {
    const oldData = requirePositional(positionals, 0, "OLD");
    const newData = requirePositional(positionals, 1, "NEW");
    const loaded = await projectConfig(ctx, false);
    const read = { cwd: ctx.io.cwd, delimiter: stringFlag(flags, "delimiter") };
    const diff = await diffData(await openData(oldData, read), await openData(newData, read), {
      id: stringFlag(flags, "id") ?? loaded?.config.data.id,
      maxExamples: intFlag(flags, "max-examples", { fallback: 10 }),
      missing: loaded?.config.data.missing,
    });
    const warning = duplicateIdWarning(diff);
    if (warning && flags.strict === true) throw new UserError(warning, { field: "--id" });
    if (warning) ctx.logger.warning(warning);
    if (ctx.json) printJson(ctx, diff);
    else ctx.io.stdout.write(`${renderDiffMarkdown(diff)}\n`);
    return ExitCode.ok;
  },
};

async function writeOut(cwd: string, file: string, text: string): Promise<void> {
  try {
    await writeFile(path.resolve(cwd, file), text);
  } catch (error) {
    throw fsError(error, file);
  }
}
