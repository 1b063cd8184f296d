import { closeSync, openSync, readSync } from "node:fs";
import { fsError, UserError } from "../../errors.js";
import { InvalidUtf8, MAX_RECORD_CHARS, readChunks, Utf8Chunks } from "./bytes.js";
import { CsvParser } from "./csv-parse.js";
import type { LocalFile } from "./types.js";

export interface CsvHeader {
  columns: string[];
  /** Byte offset just after the header record. */
  endByte: number;
  /** Line on which the first record after the header starts. */
  nextLine: number;
}

/** Reads the header: the first record that is not a blank line. */
export async function readCsvHeader(file: LocalFile, delimiter: string): Promise<CsvHeader> {
  const state = new HeaderState(file, delimiter);
  for await (const chunk of readChunks(file.path, file.name)) {
    const header = state.add(chunk, false);
    if (header) return header;
  }
  return state.end();
}

/** The same, synchronously, for openCsvRange whose signature returns a source at once. */
export function readCsvHeaderSync(file: LocalFile, delimiter: string): CsvHeader {
  const state = new HeaderState(file, delimiter);
  let fd: number;
  try {
    fd = openSync(file.path, "r");
  } catch (error) {
    throw fsError(error, file.name);
  }
  try {
    const buffer = Buffer.allocUnsafe(1 << 16);
    for (let position = 0; ; ) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) return state.end();
      position += read;
      const header = state.add(Buffer.from(buffer.subarray(0, read)), false);
      if (header) return header;
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw fsError(error, file.name);
  } finally {
    closeSync(fd);
  }
}

class HeaderState {
  private text = "";
  private readonly decoder = new Utf8Chunks(true);
  private readonly parser: CsvParser;

  constructor(
    private readonly file: LocalFile,
    delimiter: string,
  ) {
    this.parser = new CsvParser({ ncol: 0, delimiter, batchSize: 1, line: 1, file: file.name });
  }

  add(chunk: Buffer, final: boolean): CsvHeader | undefined {
    try {
      this.text += this.decoder.decode(chunk, final);
    } catch (error) {
      throw utf8Error(error, this.file.name, 1 + countLines(this.text));
    }
    const header = this.tryHeader(final);
    if (!header && this.text.length > MAX_RECORD_CHARS) {
      throw new UserError(
        `the header is longer than ${MAX_RECORD_CHARS} characters`,
        { file: this.file.name, line: 1 },
        1,
      );
    }
    return header;
  }

  end(): CsvHeader {
    const header = this.add(Buffer.alloc(0), true);
    if (header) return header;
    throw new UserError("empty file: expected a header line", { file: this.file.name }, 1);
  }

  private tryHeader(final: boolean): CsvHeader | undefined {
    const s = this.text;
    let p = 0;
    let line = 1;
    for (;;) {
      const nl = s.indexOf("\n", p);
      const isBlank = s.slice(p, nl === -1 ? s.length : nl).trim() === "";
      if (!isBlank) break;
      if (nl === -1) {
        if (final) throw new UserError("empty file: expected a header line", { file: this.file.name }, 1);
        return undefined;
      }
      p = nl + 1;
      line++;
    }
    this.parser.line = line;
    const next = this.parser.readRecord(s, p, final);
    if (next === -1) return undefined;
    const columns = [...this.parser.lastRecord];
    checkColumns(columns, this.file.name, line);
    const bom = this.decoder.bomStripped ? 3 : 0;
    return {
      columns,
      endByte: bom + Buffer.byteLength(s.slice(0, next)),
      nextLine: line + 1 + this.parser.lastRecordNewlines,
    };
  }
}

function checkColumns(columns: string[], file: string, line: number): void {
  const seen = new Map<string, number>();
  for (const [i, name] of columns.entries()) {
    if (name === "") {
      throw new UserError(
        `header column ${i + 1} has an empty name; expected a column name`,
        { file, line },
        1,
      );
    }
    const before = seen.get(name);
    if (before !== undefined) {
      throw new UserError(
        `duplicate column name '${name}' in the header (columns ${before + 1} and ${i + 1}); expected unique names`,
        { file, line },
        1,
      );
    }
    seen.set(name, i);
  }
}

export function utf8Error(error: unknown, file: string, line: number): unknown {
  if (!(error instanceof InvalidUtf8)) return error;
  return new UserError(
    "bytes that are not valid UTF-8; expected UTF-8 text (re-save the file as UTF-8)",
    { file, line: line + error.newlinesBefore },
    1,
  );
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}
