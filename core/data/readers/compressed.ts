import { createReadStream, createWriteStream } from "node:fs";
import { basename, extname } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { Decompress } from "fzstd";
import { UserError } from "../../errors.js";
import { readHead } from "./bytes.js";
import { tempPath } from "./download.js";
import type { LocalFile } from "./types.js";

/** A decompressed file larger than this is refused (a small archive can expand without bound). */
export const MAX_DECOMPRESSED_BYTES = 16 * 1024 ** 3;

const COMPRESSIONS = [
  { name: "gzip", magic: [0x1f, 0x8b], extensions: [".gz", ".gzip"], stream: () => createGunzip() },
  {
    name: "zstd",
    magic: [0x28, 0xb5, 0x2f, 0xfd],
    extensions: [".zst", ".zstd"],
    stream: () => zstdStream(),
  },
] as const;

/**
 * A gzip- or zstd-compressed file (told by its first bytes) decompressed into a temporary file that
 * keeps the inner name (`flights.csv.gz` -> `flights.csv`, so the reader is picked by it); other
 * files as they are. Messages keep naming the file the user gave.
 */
export async function decompressed(file: LocalFile): Promise<LocalFile> {
  const head = await readHead(file.path, file.name, 4);
  const compression = COMPRESSIONS.find((c) => c.magic.every((byte, i) => head[i] === byte));
  if (!compression) return file;
  const extension = extname(file.path).toLowerCase();
  const inner = (compression.extensions as readonly string[]).includes(extension)
    ? basename(file.path, extname(file.path))
    : basename(file.path);
  const out = await tempPath(inner || "data");
  let total = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      total += chunk.length;
      if (total > MAX_DECOMPRESSED_BYTES)
        done(new UserError(`decompresses to more than ${MAX_DECOMPRESSED_BYTES} bytes`, { file: file.name }));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(file.path), compression.stream(), cap, createWriteStream(out));
  } catch (error) {
    if (error instanceof UserError) throw error;
    const cause = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `not a readable ${compression.name} file (${cause}); expected valid ${compression.name} data`,
      {
        file: file.name,
      },
      1,
    );
  }
  return { path: out, name: file.name };
}

/** fzstd (pure JS; Node 20's zlib has no zstd) as a stream. */
function zstdStream(): Transform {
  let pending: Uint8Array[] = [];
  const decoder = new Decompress((data) => {
    pending.push(data.slice());
  });
  const flush = (stream: Transform) => {
    for (const data of pending) stream.push(data);
    pending = [];
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        decoder.push(chunk);
        flush(this);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    final(done) {
      try {
        decoder.push(new Uint8Array(0), true);
        flush(this);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
