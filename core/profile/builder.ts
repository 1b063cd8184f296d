import { missingTokens } from "../data/cells.js";
import type { Batch, DataSource } from "../data/types.js";
import { UserError } from "../errors.js";
import { ColumnAccumulator, type ColumnState } from "./column.js";
import type { DatasetProfile } from "./schema.js";

/** Plain data (numbers, typed arrays, Maps) that structured clone can send to and from worker threads. */
export interface ProfileState {
  columns: string[];
  rows: number;
  ragged: number;
  accumulators: ColumnState[];
}

/**
 * Builds a DatasetProfile from batches. Builders over disjoint parts of the data merge into exactly
 * the builder over all of it (counts, sketch buckets, values; mean and std to rounding).
 */
export class ProfileBuilder {
  readonly columns: string[];
  private accumulators: ColumnAccumulator[];
  private rows = 0;
  private ragged = 0;
  private scratch = new Float64Array(8192);

  /** `missing`: the cell texts read as missing (`data.missing`); default: DEFAULT_MISSING. */
  constructor(columns: string[], missing?: readonly string[]) {
    const seen = new Set<string>();
    for (const name of columns) {
      if (seen.has(name)) {
        throw new UserError(`column "${name}" appears twice in the header; expected unique column names`, {
          field: name,
        });
      }
      seen.add(name);
    }
    this.columns = [...columns];
    const tokens = missingTokens(missing);
    this.accumulators = columns.map(() => new ColumnAccumulator(tokens));
  }

  /** `batch.columns` must follow this builder's column order. */
  add(batch: Batch): void {
    if (batch.columns.length !== this.columns.length) {
      throw new Error(`batch has ${batch.columns.length} columns, the profile ${this.columns.length}`);
    }
    if (this.scratch.length < batch.size) this.scratch = new Float64Array(batch.size);
    // Batches are told apart by their first line, so their moments join in file order (see Moments).
    const key = batch.size > 0 ? batch.lines[0]! : 0;
    for (let c = 0; c < this.accumulators.length; c++) {
      const acc = this.accumulators[c]!;
      acc.add(batch.columns[c]!, batch.size, this.scratch, key, batch.numbers?.[c], batch.text?.[c]);
    }
    this.rows += batch.size;
    this.ragged += batch.ragged.length;
  }

  merge(other: ProfileBuilder): void {
    if (other.columns.join("\u0000") !== this.columns.join("\u0000")) {
      throw new Error(`cannot merge profiles of different columns: [${this.columns}] and [${other.columns}]`);
    }
    for (const [c, acc] of this.accumulators.entries()) acc.merge(other.accumulators[c]!);
    this.rows += other.rows;
    this.ragged += other.ragged;
  }

  /**
   * Joins what the batches added so far hold back (see Moments): once all of a source's rows are in,
   * before rows of another source (whose lines start over) come.
   */
  settle(): void {
    for (const acc of this.accumulators) acc.settle();
  }

  toState(): ProfileState {
    return {
      columns: [...this.columns],
      rows: this.rows,
      ragged: this.ragged,
      accumulators: this.accumulators.map((acc) => acc.toState()),
    };
  }

  static fromState(state: ProfileState): ProfileBuilder {
    const builder = new ProfileBuilder(state.columns);
    builder.accumulators = state.accumulators.map((s) => ColumnAccumulator.fromState(s));
    builder.rows = state.rows;
    builder.ragged = state.ragged;
    return builder;
  }

  finish(): DatasetProfile {
    const columns: DatasetProfile["columns"] = {};
    this.columns.forEach((name, c) => {
      columns[name] = this.accumulators[c]!.finish();
    });
    return { version: 1, rows: this.rows, ragged: this.ragged, columns };
  }
}

/** Every column of every source (first-seen order); a column a source lacks counts as missing there. */
export function unionColumns(sources: DataSource[]): string[] {
  const names = new Set<string>();
  for (const source of sources) for (const name of source.columns) names.add(name);
  return [...names];
}
