import type { Batch, Cell, RaggedRow } from "../types.js";

/** Collects rows into columnar batches of a fixed size; used by the readers that see whole rows. */
export class BatchBuilder {
  readonly done: Batch[] = [];
  /** Columns of the batch being filled: write `cols[c][size]`, then call `commit`. */
  cols: Cell[][] = [];
  size = 0;
  private lines = new Int32Array(0);
  private ragged: RaggedRow[] = [];

  constructor(
    private readonly ncol: number,
    private readonly batchSize: number,
  ) {
    this.start();
  }

  /** Keeps the row written at index `size` as starting on `line`. */
  commit(line: number): void {
    this.lines[this.size++] = line;
    if (this.size === this.batchSize) this.flush();
  }

  reject(row: RaggedRow): void {
    this.ragged.push(row);
  }

  /** Moves what was collected (if anything) into `done`. */
  flush(): void {
    const size = this.size;
    if (size === 0 && this.ragged.length === 0) return;
    if (size < this.batchSize) for (const col of this.cols) col.length = size;
    this.done.push({ columns: this.cols, size, lines: this.lines.subarray(0, size), ragged: this.ragged });
    this.start();
  }

  private start(): void {
    this.cols = Array.from({ length: this.ncol }, () => new Array<Cell>(this.batchSize));
    this.lines = new Int32Array(this.batchSize);
    this.size = 0;
    this.ragged = [];
  }
}
