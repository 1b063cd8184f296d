import type { LoadedConfig } from "../../core/config/index.js";
import { baselineChoice, type ResolvedBaseline, resolveBaseline } from "../../core/registry/index.js";
import type { Context, Flags } from "../context.js";
import { tempFolder } from "../temp.js";
import { openStore } from "./registry.js";

/**
 * The baseline of an evaluation: `--champion DIR`, `--champion none`, a registry version or alias, or
 * (the default) the registry's `champion` version, downloaded sha256-checked to a temp folder that is
 * removed when the command ends (cli/temp.ts). The decision lives in core.
 */
export function championFor(
  ctx: Context,
  loaded: LoadedConfig,
  flag: string | undefined,
  flags: Flags = {},
): Promise<ResolvedBaseline> {
  return resolveBaseline(baselineChoice(flag, ctx.io.cwd), {
    name: loaded.config.name,
    store: async () => (await openStore(ctx, flags)).store,
    tempDir: () => tempFolder("mg-champion-"),
    logger: ctx.logger,
  });
}
