/**
 * The shapes every data reader produces and every consumer (validate, profile, diff, train, drift) reads.
 * Readers never interpret values beyond what their format says: CSV cells stay strings ("" when empty),
 * JSON Lines and Parquet cells keep their JSON/Parquet scalar types. Consumers coerce.
 */
export type Cell = string | number | boolean | null;

/** A chunk of rows, stored column by column (one array per header column). */
export interface Batch {
  /** `columns[c][r]` is row r's value for header column c; every array has length `size`. */
  columns: Cell[][];
  /** Number of well-formed rows in this batch. */
  size: number;
  /** 1-based file line on which each row starts (CSV: the header is line 1; JSON Lines: the first record is line 1). */
  lines: Int32Array;
  /** Rows whose cell count differs from the header's; kept out of `columns`. */
  ragged: RaggedRow[];
  /**
   * Only when `BatchOptions.typed` asked for it (CSV and TSV readers). Where `numbers[c]` is set,
   * `numbers[c][r]` is row r's value when its cell is plain decimal text ([+-]digits[.digits], at most
   * 15 digits; the value `+text` gives); otherwise it is NaN and `columns[c][r]` holds the cell.
   * `columns[c]` holds nothing else then.
   */
  numbers?: (Float64Array | undefined)[];
  /** Likewise for text: where `text[c]` is set, a code >= 0 stands for `text[c].values[code]`, -1 for `columns[c][r]`. */
  text?: (TextCodes | undefined)[];
}

/** Dictionary-coded text cells: repeated values are read once and never allocated again. */
export interface TextCodes {
  /** Per row, an index into `values`, or -1. */
  codes: Int32Array;
  /** Shared by a reader's batches and only ever appended to, so a consumer may cache facts by code. */
  values: readonly string[];
}

/** How a reader may type a column for its consumer; `undefined` keeps plain cells. */
export type ColumnHint = "number" | "integer" | "text" | undefined;

/** A record that could not be used as a row: wrong cell count (CSV), or not a JSON object / bad JSON (JSON Lines). */
export interface RaggedRow {
  line: number;
  cells: number;
  /** Set when the record is malformed rather than just the wrong width. */
  reason?: string;
}

/** An opened data file: its header, and its rows in batches (read lazily, streamed). */
export interface DataSource {
  /** What messages show: the path as the user gave it (relative), or the URL. */
  name: string;
  format: FormatName;
  /** Absolute path when the source is a local file (lets validate split it across threads). */
  path?: string;
  columns: string[];
  /** CSV and TSV: the field delimiter in use (given, or sniffed from the header). */
  delimiter?: string;
  batches(options?: BatchOptions): AsyncIterable<Batch>;
}

export interface BatchOptions {
  /** Rows per batch (default 8192). */
  batchSize?: number;
  signal?: AbortSignal;
  /**
   * Per header column, typed views to add to each batch (see `Batch.numbers` and `Batch.text`);
   * "integer" is "number" that leaves text with a decimal point in `columns`. Readers may ignore it.
   * A typed batch's `lines`, `numbers` and `text.codes` are refilled once the next batch is asked
   * for: use a batch before asking for the next, and copy what must outlive it.
   */
  typed?: readonly ColumnHint[];
}

export type FormatName = "csv" | "tsv" | "jsonl" | "json" | "parquet";

export interface ReadOptions {
  /** Force a format instead of guessing it from the extension and content. */
  format?: FormatName;
  /** CSV only: one-character field delimiter. */
  delimiter?: string;
  /** Shown in messages instead of the path. */
  displayName?: string;
  /** Working directory for relative paths and globs. */
  cwd?: string;
  /** Bytes of an http(s) download at most (default 2 GiB). */
  maxDownloadBytes?: number;
  /** http(s): milliseconds to wait for the response to start (default 30 s). */
  connectTimeoutMs?: number;
  /** http(s): milliseconds the body may stall between bytes (default 30 s). */
  idleTimeoutMs?: number;
  /** Injected for tests and the bot; defaults to global fetch. */
  fetch?: typeof fetch;
}
