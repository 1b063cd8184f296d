import { gzipSync } from "node:zlib";

export interface TarEntry {
  name: string;
  data: Uint8Array;
}

/**
 * A ustar archive, gzipped: enough for a flat model folder. Fixed mtime, uid and mode keep the
 * bytes identical for identical files, so re-publishing the same model uploads nothing new.
 */
export function tarGz(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const header = Buffer.alloc(512);
    const name = Buffer.from(entry.name, "utf8");
    if (name.length > 100) throw new Error(`tar entry name over 100 bytes: ${entry.name}`);
    name.copy(header, 0);
    header.write("0000644\0", 100, "ascii");
    header.write("0000000\0", 108, "ascii");
    header.write("0000000\0", 116, "ascii");
    header.write(`${entry.data.length.toString(8).padStart(11, "0")}\0`, 124, "ascii");
    header.write("00000000000\0", 136, "ascii");
    header.write("        ", 148, "ascii");
    header.write("0", 156, "ascii");
    header.write("ustar\0", 257, "ascii");
    header.write("00", 263, "ascii");
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
    blocks.push(header, Buffer.from(entry.data));
    const pad = (512 - (entry.data.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}
