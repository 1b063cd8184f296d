import { UserError } from "../errors.js";
import type { ParsedLineage } from "./lineage.js";
import { AliasIndex, EMPTY_ALIASES, type FileEntry, ModelVersion, parseIndexFile } from "./schema.js";

// The index files (`version.json`, `aliases.json`) as both stores write and read them back.

/** An index file as both stores write it: indented JSON and a final newline. */
export function text(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The record of a new version (`version.json`); `lineage` is already checked, and may set `createdAt`. */
export function newVersion(
  lineage: ParsedLineage,
  version: { name: string; version: number; files: FileEntry[]; at: string },
): ModelVersion {
  const { name, files, at } = version;
  return ModelVersion.parse({ createdAt: at, ...lineage, name, version: version.version, files });
}

/** A version's record read back from `file`: one naming another model or version is a corrupted index. */
export function readVersion(json: string, file: string, name: string, version: number): ModelVersion {
  const record = parseIndexFile(ModelVersion, json, file);
  if (record.name !== name || record.version !== version) {
    throw new UserError(
      `corrupted registry index: the folder of ${name} v${version} holds a record of ${record.name} v${record.version}`,
      { file, field: "version" },
    );
  }
  return record;
}

/** A model's `aliases.json` read back; none yet (undefined) is an empty index. */
export function readAliases(json: string | undefined, file: string): AliasIndex {
  return json === undefined ? EMPTY_ALIASES : parseIndexFile(AliasIndex, json, file);
}
