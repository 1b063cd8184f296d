import { type FileHandle, open } from "node:fs/promises";
import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
// Snappy, gzip, brotli, zstd, LZ4: every codec pyarrow and polars write by default (zstd since pyarrow 15, polars).
import { compressors } from "hyparquet-compressors";
import { fsError, UserError } from "../../errors.js";
import type { Batch, BatchOptions, Cell, DataSource } from "../types.js";
import { BatchBuilder } from "./batch.js";
import { DEFAULT_BATCH_SIZE, type LocalFile, type Reader } from "./types.js";

export const parquetReader: Reader = {
  format: "parquet",
  extensions: [".parquet", ".pq"],
  open: openParquet,
};

async function openParquet(file: LocalFile): Promise<DataSource> {
  const metadata = await withFile(file, (buffer) => parquetMetadataAsync(buffer)).catch((error: unknown) => {
    throw invalid(error, file);
  });
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  return {
    name: file.name,
    format: "parquet",
    columns,
    batches: (options: BatchOptions = {}) => parquetBatches(file, metadata, columns, options),
  };
}

/** Reads row group by row group (hyparquet decodes whole column chunks), then cuts batches. */
async function* parquetBatches(
  file: LocalFile,
  metadata: FileMetaData,
  columns: string[],
  options: BatchOptions,
): AsyncGenerator<Batch> {
  const builder = new BatchBuilder(columns.length, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const handle = await open(file.path, "r").catch((error: unknown) => {
    throw fsError(error, file.name);
  });
  try {
    const buffer = handleBuffer(handle, await sizeOf(handle));
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      options.signal?.throwIfAborted();
      const rowEnd = rowStart + Number(group.num_rows);
      const rows = await readRows(buffer, metadata, columns, rowStart, rowEnd).catch((error: unknown) => {
        throw invalid(error, file);
      });
      for (const [i, row] of rows.entries()) {
        const r = builder.size;
        for (let c = 0; c < columns.length; c++) builder.cols[c]![r] = toCell(row[c]);
        builder.commit(rowStart + i + 1);
      }
      rowStart = rowEnd;
      yield* builder.done.splice(0);
    }
    builder.flush();
    yield* builder.done.splice(0);
  } finally {
    await handle.close();
  }
}

function readRows(
  file: AsyncBuffer,
  metadata: FileMetaData,
  columns: string[],
  rowStart: number,
  rowEnd: number,
): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    parquetRead({ file, metadata, columns, rowStart, rowEnd, compressors, onComplete: resolve }).catch(
      reject,
    );
  });
}

const utf8 = new TextDecoder();

/** Parquet values as the Cell types readers promise: JSON scalars, nested values as JSON text. */
export function toCell(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint")
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return utf8.decode(value);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** An AsyncBuffer over an open file handle, so only the byte ranges hyparquet asks for are read. */
function handleBuffer(handle: FileHandle, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start, end = byteLength) {
      const bytes = new Uint8Array(Math.max(0, end - start));
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return bytes.buffer;
    },
  };
}

async function sizeOf(handle: FileHandle): Promise<number> {
  return (await handle.stat()).size;
}

async function withFile<T>(file: LocalFile, work: (buffer: AsyncBuffer) => Promise<T>): Promise<T> {
  const handle = await open(file.path, "r").catch((error: unknown) => {
    throw fsError(error, file.name);
  });
  try {
    return await work(handleBuffer(handle, await sizeOf(handle)));
  } finally {
    await handle.close();
  }
}

function invalid(error: unknown, file: LocalFile): unknown {
  if (error instanceof UserError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UserError(
    `not a readable Parquet file (${message}); expected a valid Parquet file`,
    { file: file.name },
    1,
  );
}
