import { crc32, inflateRawSync } from "node:zlib";

/**
 * Reads one file out of a zip archive from an untrusted source (an artifact a fork's workflow uploaded).
 * Sizes come from the central directory, as data descriptors (used by actions/upload-artifact) leave the
 * local headers' sizes at zero; the inflated size is capped by zlib itself, so a zip bomb stops at the
 * cap whatever its headers claim. No ZIP64, no encryption: an artifact of one small JSON needs neither.
 */
export class ZipError extends Error {
  override readonly name = "ZipError";
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 1000;

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= stop; at--) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipError("not a zip archive (no end of central directory record)");
}

export function readZipEntry(zip: Buffer, name: string, maxBytes: number): Buffer {
  if (zip.length < 22) throw new ZipError("not a zip archive (too short)");
  const end = findEndOfCentralDirectory(zip);
  const entries = zip.readUInt16LE(end + 10);
  const directoryOffset = zip.readUInt32LE(end + 16);
  if (entries > MAX_ENTRIES) throw new ZipError(`more than ${MAX_ENTRIES} entries`);
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL)
      throw new ZipError("corrupt central directory");
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const entryName = zip.toString("utf8", at + 46, at + 46 + nameLength);
    at = next;
    if (entryName !== name) continue;
    if (flags & 1) throw new ZipError(`${name} is encrypted`);
    if (size > maxBytes) throw new ZipError(`${name} is ${size} bytes, more than the ${maxBytes} allowed`);
    return extract(zip, { name, method, crc, compressedSize, localOffset }, maxBytes);
  }
  throw new ZipError(`no ${name} in the archive`);
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  localOffset: number;
}

function extract(zip: Buffer, entry: Entry, maxBytes: number): Buffer {
  const { localOffset: at } = entry;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw new ZipError("corrupt local header");
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const stop = start + entry.compressedSize;
  if (stop > zip.length) throw new ZipError(`${entry.name} runs past the end of the archive`);
  const raw = zip.subarray(start, stop);
  let data: Buffer;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooBig =
        error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
      throw new ZipError(
        tooBig ? `${entry.name} inflates to more than ${maxBytes} bytes` : `${entry.name} is corrupt`,
      );
    }
  } else throw new ZipError(`${entry.name} uses compression method ${entry.method}; expected deflate`);
  if (data.length > maxBytes) throw new ZipError(`${entry.name} is more than ${maxBytes} bytes`);
  if (crc32(data) !== entry.crc) throw new ZipError(`${entry.name} fails its CRC check`);
  return data;
}
