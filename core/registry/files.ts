import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fsError, UserError } from "../errors.js";
import { type FileEntry, isContainedPath } from "./schema.js";

/** A model folder bigger than this is refused: it would not fit a GitHub branch or a workflow artifact anyway. */
export const MAX_MODEL_BYTES = 500 * 1024 * 1024;

/** The index lists every file; ModelVersion caps the list at the same number. */
export const MAX_MODEL_FILES = 10_000;

/** Each version folder holds its own index beside the model files, so a model may not bring one. */
export const RESERVED_FILE = "version.json";

export interface ModelFile {
  path: string;
  absolute: string;
  size: number;
}

/** Every regular file under `dir`, sorted; symlinks and special files are refused, not followed. */
export async function collectModelFiles(dir: string, maxBytes = MAX_MODEL_BYTES): Promise<ModelFile[]> {
  const root = path.resolve(dir);
  // The folder the user named may itself be a link; only links inside it are refused.
  const rootStat = await stat(root).catch((error: unknown) => {
    throw fsError(error, dir);
  });
  if (!rootStat.isDirectory()) throw new UserError("expected a model folder, found a file", { file: dir });
  const files: ModelFile[] = [];
  let total = 0;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const absolute = path.join(folder, entry.name);
      const relative = path.relative(root, absolute).split(path.sep).join("/");
      if (entry.isSymbolicLink()) {
        throw new UserError("symbolic links are refused in a model folder: copy the file in instead", {
          file: path.join(dir, relative),
        });
      }
      if (entry.isDirectory()) {
        await walk(absolute);
        continue;
      }
      if (!entry.isFile()) throw new UserError("not a regular file", { file: path.join(dir, relative) });
      if (!isContainedPath(relative)) throw new UserError("path leaves the model folder", { file: relative });
      if (relative === RESERVED_FILE) {
        throw new UserError(`'${RESERVED_FILE}' is reserved for the registry's index; rename it`, {
          file: path.join(dir, relative),
        });
      }
      const { size } = await lstat(absolute);
      total += size;
      if (total > maxBytes) {
        throw new UserError(`model folder is over ${Math.round(maxBytes / 1024 / 1024)} MB`, { file: dir });
      }
      if (files.length >= MAX_MODEL_FILES)
        throw new UserError(`model folder has over ${MAX_MODEL_FILES} files`, { file: dir });
      files.push({ path: relative, absolute, size });
    }
  };
  await walk(root);
  if (files.length === 0) throw new UserError("model folder is empty", { file: dir });
  return files;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Copies a file while hashing the bytes written, so the recorded digest is of the copy itself. */
export async function copyHashed(from: string, to: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await mkdir(path.dirname(to), { recursive: true });
  await pipeline(createReadStream(from), tap, createWriteStream(to));
  return { size, sha256: hash.digest("hex") };
}

/** Where an index entry lands under `destDir`; a path that would leave it is refused. */
export function targetPath(destDir: string, entry: FileEntry): string {
  const root = path.resolve(destDir);
  const target = path.resolve(root, ...entry.path.split("/"));
  if (!isContainedPath(entry.path) || !target.startsWith(root + path.sep)) {
    throw new UserError(`registry index lists a path outside the model folder: '${entry.path}'`, {
      field: "files",
    });
  }
  return target;
}

export function checkDigest(entry: FileEntry, actual: { size: number; sha256: string }, where: string): void {
  if (actual.size !== entry.size || actual.sha256 !== entry.sha256) {
    throw new UserError(
      `${entry.path}: content does not match the registry index (expected sha256 ${entry.sha256}, ${entry.size} bytes; ` +
        `found ${actual.sha256}, ${actual.size} bytes): the stored model was changed or damaged`,
      { file: where },
    );
  }
}

/** Copies one indexed file into `destDir`, verifying it; a mismatch leaves no file behind. */
export async function copyVerified(from: string, destDir: string, entry: FileEntry): Promise<void> {
  const target = targetPath(destDir, entry);
  const actual = await copyHashed(from, target).catch(async (error: unknown) => {
    await rm(target, { force: true });
    throw fsError(error, from);
  });
  try {
    checkDigest(entry, actual, from);
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}

/** Writes bytes fetched from elsewhere into `destDir` only when they match the index entry. */
export async function writeVerified(
  bytes: Uint8Array,
  destDir: string,
  entry: FileEntry,
  where: string,
): Promise<void> {
  const target = targetPath(destDir, entry);
  checkDigest(entry, { size: bytes.length, sha256: sha256(bytes) }, where);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, bytes);
}
