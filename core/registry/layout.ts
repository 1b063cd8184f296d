import { UserError } from "../errors.js";
import { RESERVED_FILE } from "./files.js";
import { readAliases, readVersion } from "./records.js";
import type { ModelVersion } from "./schema.js";
import { checkModelName } from "./store.js";

/**
 * Where the registry keeps a model's index files, relative to the registry's root (the local store's
 * folder, the github store's branch): `models/<name>/aliases.json` and
 * `models/<name>/versions/<n>/version.json` beside the version's files.
 */
export const registryLayout = {
  model: (name: string): string => `models/${checkModelName(name)}`,
  aliases: (name: string): string => `${registryLayout.model(name)}/aliases.json`,
  version: (name: string, version: number): string => `${registryLayout.model(name)}/versions/${version}`,
  versionRecord: (name: string, version: number): string =>
    `${registryLayout.version(name, version)}/${RESERVED_FILE}`,
};

/** Reads a file by its path in the layout; undefined when it is not there. */
export type IndexReader = (file: string) => Promise<string | undefined>;

/**
 * The record of a model's champion, read through `read` alone (a folder, a commit through the contents
 * API): undefined when the model has no champion; an index that names a missing version is corrupt.
 * `where` prefixes the paths in messages (e.g. the registry folder).
 */
export async function readChampionRecord(
  read: IndexReader,
  name: string,
  where = "",
): Promise<ModelVersion | undefined> {
  const shown = (file: string) => (where ? `${where}/${file}` : file);
  const aliasesFile = registryLayout.aliases(name);
  const aliases = await read(aliasesFile);
  if (aliases === undefined) return undefined;
  const version = readAliases(aliases, shown(aliasesFile)).aliases.champion;
  if (version === undefined) return undefined;
  const recordFile = registryLayout.versionRecord(name, version);
  const text = await read(recordFile);
  if (text === undefined) {
    throw new UserError(`corrupted registry index: the champion v${version} has no ${RESERVED_FILE}`, {
      file: shown(recordFile),
    });
  }
  return readVersion(text, shown(recordFile), name, version);
}
