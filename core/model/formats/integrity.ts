import { createHash } from "node:crypto";
import path from "node:path";
import { UserError } from "../../errors.js";
import { MANIFEST_JSON, MAX_WEIGHT_BYTES, readCapped, resolveInside } from "../io.js";
import type { ImportedManifest } from "../schema.js";

export type FileHash = ImportedManifest["files"][number];

export async function hashFile(dir: string, relative: string): Promise<FileHash> {
  const bytes = await readCapped(
    resolveInside(dir, relative, path.join(dir, MANIFEST_JSON)),
    MAX_WEIGHT_BYTES,
  );
  return { path: relative, size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** Every file the manifest lists must be the one imported: a changed or swapped file is refused. */
export async function checkFiles(dir: string, manifest: ImportedManifest): Promise<void> {
  for (const expected of manifest.files) {
    const actual = await hashFile(dir, expected.path);
    if (actual.sha256 !== expected.sha256) {
      throw new UserError(
        `changed since it was imported (sha256 ${actual.sha256.slice(0, 12)}…, ${MANIFEST_JSON} records ${expected.sha256.slice(0, 12)}…); import the model again`,
        { file: path.join(dir, expected.path) },
      );
    }
  }
}
