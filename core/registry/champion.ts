import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../errors.js";
import type { Logger } from "../ports.js";
import type { Baseline } from "../report/schema.js";
import { collectModelFiles, sha256 } from "./files.js";
import type { RegistryStore } from "./store.js";

/**
 * What the challenger is compared with: the registry's `champion` (the default), a named folder, or
 * nothing (`champion: none`). Every door asks here, so none can forget the registry.
 */
export type BaselineChoice =
  | { kind: "registry"; ref?: string }
  | { kind: "folder"; dir: string }
  | { kind: "none" };

/** A registry version (`v3`, `3`) or alias (`champion`): what `/modelgate compare [ref]` may name. */
export const ChampionRef = z
  .string()
  .max(100)
  .regex(/^(?!-)[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected a registry version (v3) or alias (champion)");

export interface ResolvedBaseline {
  /** The champion's model folder; undefined when there is nothing to compare with. */
  dir?: string;
  label?: string | number;
  /** What the report records, so the bot can check it against the registry itself. */
  baseline: Baseline;
}

export interface BaselinePorts {
  name: string;
  /** Opened only when the registry is asked: `champion: none` and a folder need no token. */
  store: () => Promise<RegistryStore> | RegistryStore;
  /** A fresh folder to download the champion into. */
  tempDir: () => Promise<string>;
  logger: Logger;
}

export const NO_CHAMPION = "none";

/**
 * A door's `champion` input or flag: empty -> the registry's champion, `none` -> no comparison, an
 * existing folder -> that folder, else a registry version or alias (`v1`, `champion`).
 */
export function baselineChoice(value: string | undefined, cwd: string): BaselineChoice {
  if (value === undefined || value === "") return { kind: "registry" };
  if (value === NO_CHAMPION) return { kind: "none" };
  const dir = path.resolve(cwd, value);
  if (isFolder(dir)) return { kind: "folder", dir };
  if (ChampionRef.safeParse(value).success) return { kind: "registry", ref: value };
  throw new UserError(
    `champion '${value.slice(0, 80)}' is neither a model folder nor a registry version or alias`,
    {
      field: "champion",
    },
  );
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export async function resolveBaseline(
  choice: BaselineChoice,
  ports: BaselinePorts,
): Promise<ResolvedBaseline> {
  if (choice.kind === "none") {
    ports.logger.info("champion: none: no comparison, only absolute gates (min, max) apply");
    return { baseline: { kind: "none" } };
  }
  if (choice.kind === "folder") {
    const files = await folderHashes(choice.dir);
    return { dir: choice.dir, baseline: { kind: "folder", files } };
  }
  const store = await ports.store();
  const ref = choice.ref && choice.ref !== "champion" ? choice.ref : undefined;
  const version = ref ? await refVersion(store, ports.name, ref) : await resolveChampion(store, ports.name);
  if (version === undefined) {
    ports.logger.info(
      `First model: no comparison (no champion registered for '${ports.name}'); only absolute gates (min, max) apply`,
    );
    return { baseline: { kind: "first" } };
  }
  const record = await store.get(ports.name, String(version));
  // download() checks every file against the sha256 the version recorded.
  const dir = await store.download(ports.name, String(version), await ports.tempDir());
  ports.logger.info(`champion: ${ports.name} v${version}`);
  return {
    dir,
    label: `v${version}`,
    baseline: {
      kind: "registry",
      version,
      files: record.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
      ...(record.dataFingerprints?.test ? { testFingerprint: record.dataFingerprints.test } : {}),
    },
  };
}

/** The version a ref names (`v3`, `3` or an alias); a ref that names nothing is the user's mistake. */
async function refVersion(store: RegistryStore, name: string, ref: string): Promise<number> {
  try {
    return (await store.get(name, ref)).version;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(
      `champion '${ref}': no model folder of that name, and the registry has no version or alias '${ref}' of '${name}' (${error.message})`,
      { field: "champion" },
    );
  }
}

/** The version the `champion` alias points at, or undefined when the model or the alias is missing. */
export async function resolveChampion(store: RegistryStore, name: string): Promise<number | undefined> {
  try {
    return (await store.aliases(name)).champion;
  } catch (error) {
    if (error instanceof UserError && error.location.field === "name") return undefined;
    throw error;
  }
}

async function folderHashes(dir: string): Promise<{ path: string; sha256: string }[]> {
  const files = await collectModelFiles(dir);
  const out: { path: string; sha256: string }[] = [];
  for (const file of files) out.push({ path: file.path, sha256: sha256(await readFile(file.absolute)) });
  return out;
}
