import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LoadedConfig } from "../../core/config/index.js";
import { resolveChampion } from "../../core/registry/index.js";
import type { Context, Flags } from "../context.js";
import { openStore } from "./registry.js";

/** The registry's `champion` version of the project's model, downloaded (sha256-checked) to a temp folder. */
export async function championFor(
  ctx: Context,
  loaded: LoadedConfig,
  flags: Flags = {},
): Promise<{ dir: string; label: string } | undefined> {
  const { store } = await openStore(ctx, flags);
  const version = await resolveChampion(store, loaded.config.name);
  if (version === undefined) {
    ctx.logger.info(
      `no champion registered for '${loaded.config.name}': only absolute gates (min, max) apply`,
    );
    return undefined;
  }
  const dir = await store.download(
    loaded.config.name,
    String(version),
    await mkdtemp(path.join(tmpdir(), "mg-champion-")),
  );
  ctx.logger.info(`champion: ${loaded.config.name} v${version}`);
  return { dir, label: `v${version}` };
}
