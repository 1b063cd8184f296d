import { isAscii, isUtf8 } from "node:buffer";
import { open } from "node:fs/promises";
import { fsError } from "../../errors.js";

/** Bytes read per step; a 1 MiB chunk decodes to one string the parsers scan with indexOf. */
export const CHUNK_BYTES = 1 << 20;

/** A record (CSV) or line (JSON Lines) longer than this is refused, so memory stays bounded. */
export const MAX_RECORD_CHARS = 16 * (1 << 20);

/**
 * Streams [start, end) of a local file in chunks; `name` is what error messages show. With `reuse`
 * every chunk is read into the same buffer (this one when a Buffer), so a chunk is only valid until
 * the next is asked for: no garbage per chunk (buffers live outside the JS heap, where they would
 * pile up between GCs).
 */
export async function* readChunks(
  path: string,
  name: string,
  start = 0,
  end = Number.POSITIVE_INFINITY,
  chunkBytes = CHUNK_BYTES,
  reuse: boolean | Buffer = false,
): AsyncGenerator<Buffer> {
  const handle = await open(path, "r").catch((error: unknown) => {
    throw fsError(error, name);
  });
  const shared =
    reuse instanceof Buffer
      ? reuse.subarray(0, chunkBytes)
      : reuse
        ? Buffer.allocUnsafe(chunkBytes)
        : undefined;
  try {
    let position = start;
    while (position < end) {
      const want = Math.min(chunkBytes, end - position);
      const buffer = shared ?? Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buffer, 0, want, position).catch((error: unknown) => {
        throw fsError(error, name);
      });
      if (bytesRead === 0) return;
      position += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * A whole file in chunks into two buffers taken in turn, the next read under way while the caller
 * works on a chunk (valid until the next is asked for): for a serial pass over a file that is already
 * cached, which would otherwise wait on each read in turn (the range boundaries, the fingerprint).
 */
export async function* readChunksAhead(
  path: string,
  name: string,
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<Buffer> {
  const handle = await open(path, "r").catch((error: unknown) => {
    throw fsError(error, name);
  });
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  const read = (buffer: Buffer) =>
    handle.read(buffer, 0, chunkBytes, null).then(
      ({ bytesRead }) => buffer.subarray(0, bytesRead),
      (error: unknown) => Promise.reject(fsError(error, name)),
    );
  let pending = read(buffers[0]!);
  try {
    for (let turn = 1; ; turn ^= 1) {
      const chunk = await pending;
      if (chunk.length === 0) return;
      pending = read(buffers[turn]!);
      yield chunk;
    }
  } finally {
    // A read still under way when the caller stops early must end before the handle closes.
    await pending.catch(() => {});
    await handle.close();
  }
}

/** The first `count` bytes of a file (fewer when it is shorter). */
export async function readHead(path: string, name: string, count: number): Promise<Buffer> {
  for await (const chunk of readChunks(path, name, 0, count, count)) return chunk;
  return Buffer.alloc(0);
}

/** Thrown by Utf8Chunks; the reader turns it into a UserError naming the line. */
export class InvalidUtf8 extends Error {
  /** Newlines in this chunk before the first invalid byte. */
  readonly newlinesBefore: number;
  constructor(newlinesBefore: number) {
    super("invalid UTF-8");
    this.newlinesBefore = newlinesBefore;
  }
}

const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Decodes chunks to strings, strictly: a multi-byte character cut by a chunk boundary is carried
 * to the next chunk rather than reported, and bytes that are not UTF-8 throw InvalidUtf8.
 */
export class Utf8Chunks {
  private tail: Buffer | undefined;
  private first: boolean;
  /** Whether a byte order mark was removed from the start. */
  bomStripped = false;

  /** `atFileStart`: strip a UTF-8 byte order mark from the first chunk. */
  constructor(atFileStart: boolean) {
    this.first = atFileStart;
  }

  decode(chunk: Buffer, final: boolean): string {
    let bytes = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = undefined;
    if (this.first && bytes.length >= 3) {
      this.first = false;
      if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) {
        bytes = bytes.subarray(3);
        this.bomStripped = true;
      }
    } else if (this.first && final) {
      this.first = false;
      if (isBomPrefix(bytes) && bytes.length > 0) {
        this.bomStripped = bytes.length === 3;
        return "";
      }
    } else if (this.first) {
      // Fewer than 3 bytes so far: wait for more before deciding about the BOM.
      this.tail = Buffer.from(bytes);
      return "";
    }
    const cut = final ? bytes.length : completePrefix(bytes);
    if (cut < bytes.length) this.tail = Buffer.from(bytes.subarray(cut));
    const part = bytes.subarray(0, cut);
    // latin1 decodes ASCII exactly and is several times faster than the UTF-8 decoder.
    if (isAscii(part)) return part.toString("latin1");
    if (!isUtf8(part)) throw new InvalidUtf8(countNewlines(part, firstInvalid(part)));
    return part.toString("utf8");
  }

  /** Whatever is left once the input ended: an incomplete character is an error. */
  finish(): string {
    if (!this.tail) return "";
    const rest = this.tail;
    this.tail = undefined;
    return this.decode(rest, true);
  }
}

function isBomPrefix(bytes: Buffer): boolean {
  return bytes.every((byte, i) => byte === BOM[i]);
}

/** Length of the prefix that ends on a character boundary (at most 3 bytes are held back). */
function completePrefix(bytes: Buffer): number {
  const length = bytes.length;
  for (let i = length - 1; i >= 0 && i >= length - 4; i--) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc0) return length;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return length - i < needed ? i : length;
  }
  return length;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence (slow; errors only). */
function firstInvalid(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : 4;
    if (byte >= 0x80 && (byte < 0xc2 || byte > 0xf4)) return i;
    if (!isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}

export function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 10) count++;
  return count;
}

export function countNewlinesIn(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}
