import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors.js";

/**
 * A model folder written atomically: everything goes to `.NAME.partial-<id>` beside the target and is
 * renamed into place at the end, so a failed or interrupted run leaves nothing that looks like a model.
 */
export interface ModelFolder {
  /** Where to write the files. */
  partial: string;
  /** The final folder. */
  target: string;
  /** Renames the partial folder into place (replacing the target when `force` allowed it). */
  commit(): Promise<void>;
  /** Removes the partial folder and any parent folder this run created. */
  discard(): Promise<void>;
}

export const PARTIAL_MARK = ".partial-";

/**
 * Refuses a non-empty target unless `force`, before any work is done; `field` names the flag or input that
 * gave the target, `forceHint` how to pass force in that door (default `--force`).
 */
export async function refuseNonEmpty(
  target: string,
  options: { force?: boolean; field?: string; forceHint?: string } = {},
): Promise<void> {
  const entries = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    if (error.code === "ENOTDIR") {
      throw new UserError("exists and is not a folder", { file: target, field: options.field ?? "--out" });
    }
    throw error;
  });
  if (entries.length > 0 && !options.force) {
    throw new UserError(
      `folder is not empty (${entries.length} entries); pass ${options.forceHint ?? "--force"} to replace it, or choose another folder`,
      { file: target, field: options.field ?? "--out" },
    );
  }
}

/** A model folder to write into; a non-empty target is refused unless `force` (refuseNonEmpty). */
export async function openModelFolder(
  target: string,
  options: { force?: boolean; field?: string } = {},
): Promise<ModelFolder> {
  await refuseNonEmpty(target, options);
  const parent = path.dirname(target);
  const created = await mkdir(parent, { recursive: true });
  const id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const partial = path.join(parent, `.${path.basename(target)}${PARTIAL_MARK}${id}`);
  await mkdir(partial);
  return {
    partial,
    target,
    async commit() {
      const old = path.join(parent, `.${path.basename(target)}.old-${id}`);
      const replaced = await rename(target, old).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return false;
          throw error;
        },
      );
      await rename(partial, target);
      if (replaced) await rm(old, { recursive: true, force: true });
    },
    async discard() {
      await rm(partial, { recursive: true, force: true });
      // mkdir -p returns the first folder it made: only this run's work is in there.
      if (created) await rm(created, { recursive: true, force: true });
    },
  };
}
