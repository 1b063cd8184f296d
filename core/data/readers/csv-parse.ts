import type { Batch, Cell, ColumnHint, RaggedRow, TextCodes } from "../types.js";
import { RecordReader } from "./csv-record.js";
import { type Arrays, columnKinds, Kind, scanDecimal, TextDictionary } from "./csv-typed.js";

const CR = 13;

/**
 * An incremental RFC 4180 parser writing straight into columnar batches. Hot path: a record
 * with no quote char is split with cached indexOf positions and sliced, no per-row allocation.
 * `parse` consumes whole records and returns where the unconsumed rest of the text starts;
 * the caller prepends that rest to the next chunk.
 */
export class CsvParser {
  /** 1-based line on which the unconsumed text starts. */
  line: number;
  readonly done: Batch[] = [];
  private readonly ncol: number;
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly batchSize: number;
  private cols: Cell[][] = [];
  private lines: Int32Array = new Int32Array(0);
  private size = 0;
  private ragged: RaggedRow[] = [];
  /** The slow path: records with quotes. */
  private readonly records: RecordReader;
  /** Typed reading (see csv-typed.ts): per column what to make of it, and the typed views being filled. */
  private readonly kinds: Kind[] | undefined;
  private readonly dictionaries: (TextDictionary | undefined)[] = [];
  private numbers: (Float64Array | undefined)[] = [];
  private codes: (Int32Array | undefined)[] = [];
  /** Typed batches' arrays, oldest first, until `recycle` hands them back to `spare`. */
  private readonly lent: Arrays[] = [];
  private readonly spare: Arrays[] = [];

  constructor(options: {
    ncol: number;
    delimiter: string;
    batchSize: number;
    line: number;
    file: string;
    typed?: readonly ColumnHint[];
  }) {
    this.ncol = options.ncol;
    this.delimiter = options.delimiter;
    this.delimiterCode = options.delimiter.charCodeAt(0);
    this.batchSize = options.batchSize;
    this.line = options.line;
    this.records = new RecordReader(this.delimiterCode, options.file);
    this.kinds = columnKinds(options.typed, options.ncol, options.delimiter);
    if (this.kinds)
      this.dictionaries = this.kinds.map((kind) => (kind === Kind.text ? new TextDictionary() : undefined));
    this.startBatch();
  }

  /**
   * Parses every complete record of `s` from `start`; with `final`, the text ends the input. Taking
   * `start` rather than a slice keeps `s` a flat string, which charCodeAt reads faster.
   */
  parse(s: string, final: boolean, start = 0): number {
    const n = s.length;
    const ncol = this.ncol;
    const d = this.delimiter;
    let p = start;
    let nl = -1;
    let nq = -1;
    let nd = -1;
    while (p < n) {
      if (nl < p) {
        nl = s.indexOf("\n", p);
        if (nl === -1) {
          if (!final) break;
          nl = n;
        }
      }
      if (nq < p) {
        nq = s.indexOf('"', p);
        if (nq === -1) nq = n;
      }
      if (nq < nl) {
        const next = this.slowRecord(s, p, final);
        if (next === -1) break;
        p = next;
        continue;
      }
      let end = nl;
      if (end > p && s.charCodeAt(end - 1) === CR) end--;
      if (end === p) {
        this.line++;
        p = nl + 1;
        continue;
      }
      if (this.kinds) {
        this.endRow(this.typedRow(s, p, end));
        this.line++;
        p = nl + 1;
        continue;
      }
      const cols = this.cols;
      const row = this.size;
      let c = 0;
      let a = p;
      for (;;) {
        if (nd < a) {
          nd = s.indexOf(d, a);
          if (nd === -1) nd = n;
        }
        if (nd < end) {
          if (c < ncol) cols[c]![row] = s.slice(a, nd);
          c++;
          a = nd + 1;
        } else {
          if (c < ncol) cols[c]![row] = s.slice(a, end);
          c++;
          break;
        }
      }
      this.endRow(c);
      this.line++;
      p = nl + 1;
    }
    if (final) this.flush();
    return Math.min(p, n);
  }

  /** Parses one record at `p` (quotes allowed) into `lastRecord`; -1 when it needs more text. */
  readRecord(s: string, p: number, final: boolean): number {
    return this.records.read(s, p, final, this.line);
  }

  /** Cells of the record last read by `readRecord`. */
  get lastRecord(): readonly string[] {
    return this.records.cells;
  }

  /** Newlines inside quoted fields of that record. */
  get lastRecordNewlines(): number {
    return this.records.newlines;
  }

  private slowRecord(s: string, p: number, final: boolean): number {
    const next = this.readRecord(s, p, final);
    if (next === -1) return -1;
    const record = this.records.cells;
    const count = record.length;
    const row = this.size;
    const ncol = this.ncol;
    if (count === ncol) {
      if (this.kinds) this.typedRecord(record, row);
      else for (let c = 0; c < ncol; c++) this.cols[c]![row] = record[c]!;
    }
    this.endRow(count);
    this.line += 1 + this.records.newlines;
    return next;
  }

  /** The fast path's typed twin: reads the record in [p, end) into the typed views; returns its cell count. */
  private typedRow(s: string, p: number, end: number): number {
    const kinds = this.kinds!;
    const ncol = this.ncol;
    const dc = this.delimiterCode;
    const row = this.size;
    const { numbers, codes, cols } = this;
    let a = p;
    for (let c = 0; c < ncol; c++) {
      const kind = kinds[c]!;
      let k: number;
      if (kind === Kind.number || kind === Kind.integer) {
        k = scanDecimal(s, a, end, dc, kind === Kind.number, numbers[c]!, row);
        if (k < 0) {
          k = this.fieldEnd(s, a, end);
          numbers[c]![row] = Number.NaN;
          cols[c]![row] = s.slice(a, k);
        }
      } else if (kind === Kind.text && codes[c] !== undefined) {
        const dictionary = this.dictionaries[c]!;
        const code = dictionary.scan(s, a, end, dc);
        k = dictionary.end;
        codes[c]![row] = code;
        if (code < 0) cols[c]![row] = s.slice(a, k);
      } else {
        k = this.fieldEnd(s, a, end);
        cols[c]![row] = s.slice(a, k);
      }
      if (k >= end) return c + 1;
      a = k + 1;
    }
    // More cells than columns: count them for the message.
    let cells = ncol + 1;
    for (let k = s.indexOf(this.delimiter, a); k !== -1 && k < end; k = s.indexOf(this.delimiter, k + 1))
      cells++;
    return cells;
  }

  private fieldEnd(s: string, a: number, end: number): number {
    const k = s.indexOf(this.delimiter, a);
    return k === -1 || k > end ? end : k;
  }

  /** A quoted record's cells into the typed views. */
  private typedRecord(record: readonly string[], row: number): void {
    const kinds = this.kinds!;
    for (let c = 0; c < this.ncol; c++) {
      const kind = kinds[c]!;
      const cell = record[c]!;
      if (kind === Kind.number || kind === Kind.integer) {
        const ok = scanDecimal(cell, 0, cell.length, -1, kind === Kind.number, this.numbers[c]!, row) >= 0;
        if (!ok) {
          this.numbers[c]![row] = Number.NaN;
          this.cols[c]![row] = cell;
        }
      } else if (kind === Kind.text && this.codes[c] !== undefined) {
        const code = this.dictionaries[c]!.scan(cell, 0, cell.length, -1);
        this.codes[c]![row] = code;
        if (code < 0) this.cols[c]![row] = cell;
      } else this.cols[c]![row] = cell;
    }
  }

  private endRow(cells: number): void {
    if (cells !== this.ncol) {
      this.ragged.push({ line: this.line, cells });
      // The next row reuses this index: drop odd cells a typed column kept, so none outlives its row.
      if (this.kinds)
        for (let c = 0; c < this.ncol; c++) if (this.typedColumn(c)) delete this.cols[c]![this.size];
      return;
    }
    this.lines[this.size++] = this.line;
    if (this.size === this.batchSize) {
      this.flush();
    }
  }

  /** Moves the rows read so far (if any) into `done`. */
  flush(): void {
    if (this.size === 0 && this.ragged.length === 0) return;
    const size = this.size;
    if (size < this.batchSize) for (const col of this.cols) col.length = size;
    const batch: Batch = {
      columns: this.cols,
      size,
      lines: this.lines.subarray(0, size),
      ragged: this.ragged,
    };
    if (this.kinds) {
      this.lent.push({ numbers: this.numbers, codes: this.codes, lines: this.lines });
      batch.numbers = this.numbers.map((values) => values?.subarray(0, size));
      batch.text = this.codes.map((codes, c): TextCodes | undefined =>
        codes ? { codes: codes.subarray(0, size), values: this.dictionaries[c]!.values } : undefined,
      );
    }
    this.done.push(batch);
    this.startBatch();
  }

  private startBatch(): void {
    const kinds = this.kinds;
    const n = this.batchSize;
    // Typed columns only hold the odd cell the typed view cannot: a sparse array.
    this.cols = Array.from({ length: this.ncol }, (_, c) =>
      kinds && this.typedColumn(c) ? [] : new Array<Cell>(n),
    );
    const spare = this.spare.pop();
    if (kinds) {
      this.numbers = kinds.map((kind, c) =>
        kind === Kind.number || kind === Kind.integer
          ? (spare?.numbers[c] ?? new Float64Array(n))
          : undefined,
      );
      this.codes = kinds.map((kind, c) =>
        kind === Kind.text && !this.dictionaries[c]!.gaveUp
          ? (spare?.codes[c] ?? new Int32Array(n))
          : undefined,
      );
    }
    this.lines = spare?.lines ?? new Int32Array(n);
    this.size = 0;
    this.ragged = [];
  }

  /**
   * The consumer is done with the oldest typed batch handed out: its arrays are filled again for a
   * later batch. Typed arrays live outside the JS heap, and a fresh set per batch piles up between GCs.
   */
  recycle(): void {
    const arrays = this.lent.shift();
    if (arrays) this.spare.push(arrays);
  }

  private typedColumn(c: number): boolean {
    const kind = this.kinds![c]!;
    return (
      kind === Kind.number || kind === Kind.integer || (kind === Kind.text && !this.dictionaries[c]!.gaveUp)
    );
  }
}
