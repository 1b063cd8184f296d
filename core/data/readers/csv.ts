import { UserError } from "../../errors.js";
import type { Batch, BatchOptions, DataSource } from "../types.js";
import { CHUNK_BYTES, countNewlinesIn, MAX_RECORD_CHARS, readChunks, readHead, Utf8Chunks } from "./bytes.js";
import { readCsvHeader, utf8Error } from "./csv-header.js";
import { CsvParser } from "./csv-parse.js";
import { DEFAULT_BATCH_SIZE, type LocalFile, type Reader } from "./types.js";

export const csvReader: Reader = {
  format: "csv",
  extensions: [".csv"],
  open: async (file, options) => openCsv(file, "csv", options.delimiter ?? (await sniffDelimiter(file, ","))),
};

export const tsvReader: Reader = {
  format: "tsv",
  extensions: [".tsv", ".tab"],
  open: async (file, options) =>
    openCsv(file, "tsv", options.delimiter ?? (await sniffDelimiter(file, "\t"))),
};

const CANDIDATES = [",", "\t", ";", "|"];

/**
 * The delimiter of the header line: the format's own when the header has it, else whichever of
 * comma, tab, semicolon and pipe it has most of (outside quotes); the format's own when none.
 */
export async function sniffDelimiter(file: LocalFile, fallback: string): Promise<string> {
  const head = (await readHead(file.path, file.name, 1 << 16)).toString("utf8");
  const line = head.split("\n").find((l) => l.trim() !== "") ?? "";
  const counts = new Map(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  if (counts.get(fallback)! > 0) return fallback;
  let best = fallback;
  for (const [candidate, count] of counts) if (count > (counts.get(best) ?? 0)) best = candidate;
  return best;
}

async function openCsv(file: LocalFile, format: "csv" | "tsv", delimiter: string): Promise<DataSource> {
  checkDelimiter(delimiter);
  const header = await readCsvHeader(file, delimiter);
  return csvSource(file, format, delimiter, header.columns, {
    start: header.endByte,
    firstLine: header.nextLine,
  });
}

export function checkDelimiter(delimiter: string): void {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new UserError(
      `delimiter ${JSON.stringify(delimiter)}: expected one character other than '"' or a newline`,
      {
        field: "delimiter",
      },
    );
  }
}

/** Where to read: bytes [start, end) of the file, whose first record starts on `firstLine`. */
export interface CsvSpan {
  start: number;
  end?: number;
  firstLine: number;
}

/** Spans read one after another by one parser (each asked for once the last is read); undefined ends. */
export type CsvSpans = () => CsvSpan | undefined;

export function csvSource(
  file: LocalFile,
  format: "csv" | "tsv",
  delimiter: string,
  columns: string[],
  span: CsvSpan | CsvSpans,
): DataSource {
  const spans = (): CsvSpans => {
    if (typeof span === "function") return span;
    let left: CsvSpan | undefined = span;
    return () => {
      const given = left;
      left = undefined;
      return given;
    };
  };
  return {
    name: file.name,
    format,
    path: file.path,
    columns,
    delimiter,
    batches: (options: BatchOptions = {}) => csvBatches(file, delimiter, columns.length, spans(), options),
  };
}

/**
 * Text is decoded in pieces small enough to be young, regular heap strings (V8 puts strings over
 * 128 KiB in large-object space, where they wait for a full GC): the garbage of parsing stays in
 * the young generation and memory stays flat. Reads stay 1 MiB, into one reused buffer.
 */
const DECODE_BYTES = 96 << 10;

/** One parser and one read buffer for every span, so a span costs no new typed arrays. */
async function* csvBatches(
  file: LocalFile,
  delimiter: string,
  ncol: number,
  spans: CsvSpans,
  options: BatchOptions,
): AsyncGenerator<Batch> {
  let parser: CsvParser | undefined;
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (let span = spans(); span !== undefined; span = spans()) {
    parser ??= new CsvParser({
      ncol,
      delimiter,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      line: span.firstLine,
      file: file.name,
      typed: options.typed,
    });
    parser.line = span.firstLine;
    yield* spanBatches(parser, file, span, buffer, options);
  }
}

async function* spanBatches(
  parser: CsvParser,
  file: LocalFile,
  span: CsvSpan,
  buffer: Buffer,
  options: BatchOptions,
): AsyncGenerator<Batch> {
  const decoder = new Utf8Chunks(span.start === 0);
  let rest = "";
  for await (const chunk of readChunks(file.path, file.name, span.start, span.end, CHUNK_BYTES, buffer)) {
    for (let at = 0; at < chunk.length; at += DECODE_BYTES) {
      options.signal?.throwIfAborted();
      let text: string;
      try {
        text = decoder.decode(chunk.subarray(at, at + DECODE_BYTES), false);
      } catch (error) {
        throw utf8Error(error, file.name, parser.line + countNewlinesIn(rest));
      }
      const [s, start] = rest === "" ? [text, 0] : completeRest(parser, rest, text);
      rest = s.slice(parser.parse(s, false, start));
      if (rest.length > MAX_RECORD_CHARS) {
        throw new UserError(
          `a record longer than ${MAX_RECORD_CHARS} characters (16 MiB) starts here; expected shorter fields (is a quote left open?)`,
          { file: file.name, line: parser.line },
          1,
        );
      }
      yield* handOut(parser);
    }
  }
  let text: string;
  try {
    text = decoder.finish();
  } catch (error) {
    throw utf8Error(error, file.name, parser.line + countNewlinesIn(rest));
  }
  parser.parse(rest + text, true);
  yield* handOut(parser);
}

/** Yields the finished batches; typed ones are recycled once the consumer asks for the next. */
function* handOut(parser: CsvParser): Generator<Batch> {
  for (const batch of parser.done.splice(0)) {
    yield batch;
    parser.recycle();
  }
}

/**
 * Parses the record left over from the last chunk together with the start of this one, so the
 * common case never copies the whole chunk into `rest + text`. Returns the text still to parse and
 * where in it to start: the chunk itself when it can, since a flat string reads faster than a slice.
 */
function completeRest(parser: CsvParser, rest: string, text: string): [string, number] {
  const nl = text.indexOf("\n");
  if (nl === -1) return [rest + text, 0];
  const head = rest + text.slice(0, nl + 1);
  const used = parser.parse(head, false);
  return used === head.length ? [text, nl + 1] : [head.slice(used) + text.slice(nl + 1), 0];
}
