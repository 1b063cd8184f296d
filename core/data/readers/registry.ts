import { extname } from "node:path";
import { UserError } from "../../errors.js";
import type { FormatName } from "../types.js";
import { readHead } from "./bytes.js";
import { csvReader, tsvReader } from "./csv.js";
import { jsonlReader } from "./jsonl.js";
import { parquetReader } from "./parquet.js";
import type { LocalFile, Reader } from "./types.js";

/** Every data format modelgate reads; the contract test loops over this map. */
export const readers: ReadonlyMap<FormatName, Reader> = new Map<FormatName, Reader>([
  ["csv", csvReader],
  ["tsv", tsvReader],
  ["jsonl", jsonlReader],
  ["parquet", parquetReader],
]);

const LFS_POINTER = "version https://git-lfs.github.com/spec/v1";
const SNIFF_BYTES = 64;

/** The reader for a file: forced, else by extension, else by its first bytes. Refuses Git LFS pointers. */
export async function readerFor(file: LocalFile, format?: FormatName): Promise<Reader> {
  const head = await readHead(file.path, file.name, SNIFF_BYTES);
  if (head.toString("latin1").startsWith(LFS_POINTER)) {
    throw new UserError(
      "this is a Git LFS pointer, not the data; fetch LFS files in the checkout " +
        "(actions/checkout with `lfs: true`, or run `git lfs pull`)",
      { file: file.name },
      2,
    );
  }
  if (format) return readers.get(format)!;
  return byExtension(file.path) ?? sniff(head);
}

function byExtension(path: string): Reader | undefined {
  const extension = extname(path).toLowerCase();
  for (const reader of readers.values()) if (reader.extensions.includes(extension)) return reader;
  return undefined;
}

function sniff(head: Buffer): Reader {
  if (head.subarray(0, 4).toString("latin1") === "PAR1") return parquetReader;
  const text = head
    .toString("latin1")
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, "")
    .trimStart();
  return text.startsWith("{") ? jsonlReader : csvReader;
}
