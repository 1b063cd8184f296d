import { readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { LoadedConfig } from "../../core/config/index.js";
import { ExitCode, fsError, UserError } from "../../core/errors.js";
import {
  mergeShards,
  parseShard,
  readShards,
  renderSweepMarkdown,
  runSweep,
  scoreBest,
  type TuneResult,
  writeBestParams,
  writeShard,
} from "../../core/tune/index.js";
import { intFlag, printJson, projectConfig, stringFlag } from "../common.js";
import type { Command, Context, Flags } from "../context.js";
import { storeRoot } from "./model.js";

export const tuneCommand: Command = {
  name: "tune",
  summary: "hyperparameter search over tune.space; every trial is a tracked run",
  usage:
    "tune [--workers N] [--shard I/N] [--out DIR] [--sweep ID] [--no-prune] [--write-best] | tune merge DIR... [--write-best]",
  details: [
    "Trials run on --workers threads (default: one per core); results do not depend on the number.",
    "Trials train on 80% of the training rows and are scored on the other 20%; the test rows are not read",
    "during the search. The best params are then retrained on all training rows and scored once on the",
    "test rows (by 'tune', or by 'tune merge' for a sharded sweep).",
    "Successive halving trains every trial for a ninth (or a third) of its epochs and only the best third",
    "of each rung longer, within each shard; --no-prune trains every trial in full.",
    "--shard I/N runs trials k with k mod N = I-1 (k from 0) and --out DIR writes DIR/shard-I-of-N.json;",
    "'tune merge DIR...' joins the shards of a CI matrix into the result of one unsharded run.",
    "--write-best sets the best params in the model: block of the config file, keeping its comments.",
  ],
  flags: {
    workers: { type: "string" },
    shard: { type: "string" },
    out: { type: "string" },
    sweep: { type: "string" },
    "no-prune": { type: "boolean" },
    "write-best": { type: "boolean" },
  },
  async run(positionals, flags, ctx) {
    const [sub, ...rest] = positionals;
    if (sub === "merge") return merge(rest, flags, ctx);
    if (sub !== undefined)
      throw new UserError(`expected 'merge' or no argument, found '${sub}'`, { field: "--" });
    const loaded = (await projectConfig(ctx, true))!;
    const shardFlag = stringFlag(flags, "shard");
    const shard = shardFlag === undefined ? undefined : parseShard(shardFlag);
    if (flags["write-best"] && shard && shard.count > 1) {
      throw new UserError("a shard sees only some trials; use 'tune merge DIR... --write-best'", {
        field: "--write-best",
      });
    }
    const sweep = stringFlag(flags, "sweep");
    if (sweep !== undefined && !/^[A-Za-z0-9_-]+$/.test(sweep)) {
      throw new UserError(`expected letters, digits, '_' or '-', found '${sweep}'`, { field: "--sweep" });
    }
    const { result, shard: shardFile } = await runSweep(loaded, {
      cwd: ctx.io.cwd,
      storeRoot: storeRoot(loaded),
      logger: ctx.logger,
      workers: intFlag(flags, "workers", { fallback: availableParallelism() }) ?? 1,
      shard,
      sweep,
      prune: !flags["no-prune"],
    });
    const out = stringFlag(flags, "out");
    if (out) {
      const file = await writeShard(path.resolve(ctx.io.cwd, out), shardFile);
      ctx.logger.info(`shard written: ${path.relative(ctx.io.cwd, file)}`);
    }
    // One shard has seen only its share of the trials: the merge scores the sweep's best.
    return finish(result, flags, ctx, loaded, !(shard && shard.count > 1));
  },
};

async function merge(dirs: string[], flags: Flags, ctx: Context): Promise<number> {
  if (dirs.length === 0) throw new UserError("merge needs one shard folder or more", { field: "DIR" });
  const result = mergeShards(await readShards(dirs.map((d) => path.resolve(ctx.io.cwd, d))));
  const loaded = await projectConfig(ctx, Boolean(flags["write-best"]));
  if (!loaded) ctx.logger.warning("no project config here: the best params are not scored on the test rows");
  return finish(result, flags, ctx, loaded, loaded !== undefined);
}

async function finish(
  result: TuneResult,
  flags: Flags,
  ctx: Context,
  loaded: LoadedConfig | undefined,
  scoreOnTest: boolean,
): Promise<number> {
  let failure: unknown;
  if (scoreOnTest && loaded && result.best) {
    try {
      result.test = await scoreBest(loaded, result.best, {
        cwd: ctx.io.cwd,
        storeRoot: storeRoot(loaded),
        logger: ctx.logger,
        sweep: result.sweep,
      });
    } catch (error) {
      // The search's results are still printed (and --write-best still applies): only the final score is missing.
      failure = error;
    }
  }
  if (flags["write-best"] && loaded && result.best) {
    const text = await readFile(loaded.file, "utf8").catch((error: unknown) => {
      throw fsError(error, loaded.file);
    });
    await writeFile(
      loaded.file,
      writeBestParams(text, result.best.params, path.relative(ctx.io.cwd, loaded.file)),
    );
    ctx.logger.info(`best params written to the model: block of ${path.relative(ctx.io.cwd, loaded.file)}`);
  }
  if (ctx.json) printJson(ctx, result);
  else ctx.io.stdout.write(renderSweepMarkdown(result));
  if (failure) throw failure;
  if (!result.best) {
    ctx.logger.error("no trial succeeded: see the errors in the table");
    return ExitCode.checkFailed;
  }
  return ExitCode.ok;
}
