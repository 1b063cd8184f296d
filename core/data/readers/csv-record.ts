import { UserError } from "../../errors.js";
import { countNewlinesIn } from "./bytes.js";

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** RFC 4180 records with quotes, one at a time: the CSV parser's slow path, and the header's reader. */
export class RecordReader {
  /** Cells of the record last read. */
  readonly cells: string[] = [];
  /** Newlines inside quoted fields of that record. */
  newlines = 0;

  constructor(
    private readonly delimiterCode: number,
    private readonly file: string,
  ) {}

  /**
   * Reads the record at `p` into `cells`; returns where the next starts, or -1 when it needs more
   * text. `line` is the record's, for the message about a quote never closed.
   */
  read(s: string, p: number, final: boolean, line: number): number {
    const record = this.cells;
    const n = s.length;
    const dc = this.delimiterCode;
    record.length = 0;
    this.newlines = 0;
    let a = p;
    for (;;) {
      let k: number;
      let value: string;
      if (a < n && s.charCodeAt(a) === QUOTE) {
        let q = a + 1;
        let escaped = false;
        let e: number;
        for (;;) {
          e = s.indexOf('"', q);
          if (e === -1) {
            if (final) this.unterminated(s, p, a, line);
            return -1;
          }
          if (e + 1 >= n && !final) return -1;
          if (s.charCodeAt(e + 1) !== QUOTE) break;
          escaped = true;
          q = e + 2;
        }
        value = s.slice(a + 1, e);
        if (escaped) value = value.replaceAll('""', '"');
        this.newlines += countNewlinesIn(value);
        k = e + 1;
        while (k < n && s.charCodeAt(k) !== dc && s.charCodeAt(k) !== LF) k++;
        // Real-world leniency: text after the closing quote is kept, as most parsers do.
        if (k > e + 1) value += s.slice(e + 1, endOfField(s, e + 1, k));
      } else {
        k = a;
        while (k < n && s.charCodeAt(k) !== dc && s.charCodeAt(k) !== LF) k++;
        value = s.slice(a, endOfField(s, a, k));
      }
      if (k >= n && !final) return -1;
      record.push(value);
      if (k >= n) return n;
      if (s.charCodeAt(k) === LF) return k + 1;
      a = k + 1;
    }
  }

  private unterminated(s: string, recordStart: number, quoteAt: number, line: number): never {
    throw new UserError(
      "unterminated quoted field: the quote opened here is never closed; expected a closing '\"'",
      { file: this.file, line: line + countNewlinesIn(s.slice(recordStart, quoteAt)) },
      1,
    );
  }
}

/** Where a field that stops at `k` ends: before the CR of a CRLF. */
function endOfField(s: string, start: number, k: number): number {
  return k > start && s.charCodeAt(k - 1) === CR && (k === s.length || s.charCodeAt(k) === LF) ? k - 1 : k;
}
