import type { DataSource, FormatName } from "../types.js";

/** A local file to read: `path` for fs calls, `name` for messages (the path as the user gave it, or the URL). */
export interface LocalFile {
  path: string;
  name: string;
}

export interface ReaderOptions {
  /** CSV only: one-character field delimiter (the format's default when absent). */
  delimiter?: string;
}

/** A data format plug-in; every reader is listed in the registry in index.ts. */
export interface Reader {
  readonly format: FormatName;
  /** Lower-case file extensions, with the dot, that select this reader. */
  readonly extensions: readonly string[];
  open(file: LocalFile, options: ReaderOptions): Promise<DataSource>;
}

export const DEFAULT_BATCH_SIZE = 8192;
