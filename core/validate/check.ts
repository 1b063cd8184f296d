import type { Batch, Cell, TextCodes } from "../data/types.js";
import type { ColumnSpec, DataSchema } from "../data-schema/schema.js";
import type { HashLogState } from "./hash.js";
import type { CheckName, Issue, ValidateOptions } from "./schema.js";
import type { Tally } from "./tally.js";

/** What a missing cell means in a column. */
export const MissingRule = {
  allowed: 0,
  /** `nullable: false`: a `null` failure. */
  error: 1,
  /** The target: a `target_null` failure, whatever the schema says. */
  target: 2,
} as const;
export type MissingRule = (typeof MissingRule)[keyof typeof MissingRule];

/** Per-column failures, plain data so workers can hand it over. */
export interface ColumnState {
  /** Rows failing any value check; compared with `mostly`. */
  failed: number;
  tallies: Partial<Record<CheckName, Tally>>;
  /** Values seen so far, for `unique` columns. */
  unique?: HashLogState;
}

/**
 * Runs one column's checks over a batch's cells. When `rowA` is given it also folds each cell's
 * hash into the row hashes, so each cell is parsed once for both jobs. `numbers` and `text` are
 * the batch's typed views of the column when the reader made them (see Batch).
 */
export type ColumnRunner = (
  cells: readonly Cell[],
  lines: Int32Array,
  size: number,
  state: ColumnState,
  rowA: Int32Array | null,
  rowB: Int32Array | null,
  numbers?: Float64Array,
  text?: TextCodes,
) => void;

export interface ColumnPlan {
  name: string;
  /** The schema's spec; columns the schema does not list get a check-free string spec. */
  spec: ColumnSpec;
  listed: boolean;
  missing: MissingRule;
  unique: boolean;
  run: ColumnRunner;
}

/** The schema compiled against one file's header, once per Validator. */
export interface Plan {
  schema: DataSchema;
  header: readonly string[];
  options: ValidateOptions;
  /** One per header column, in header order. */
  columns: ColumnPlan[];
  /** Whole-row hashes are needed (duplicate rows are checked). */
  hashRows: boolean;
}

/** The per-batch scratch shared by check groups: row hashes the values group fills in. */
export interface BatchScratch {
  rowA: Int32Array | null;
  rowB: Int32Array | null;
}

export interface Report {
  rows: number;
  error(issue: Issue): void;
  warning(issue: Issue): void;
}

/**
 * A group of related checks. State is plain, structured-clone-able data: workers send it to the
 * lead, which merges it. `finish` must give the same issues whichever order states were merged in.
 */
export interface CheckGroup<S> {
  readonly name: string;
  readonly emits: readonly CheckName[];
  init(plan: Plan): S;
  add(plan: Plan, state: S, batch: Batch, scratch: BatchScratch): void;
  merge(plan: Plan, into: S, from: S): void;
  finish(plan: Plan, state: S, report: Report): void;
}

/** Erases a group's state type for the registry; each group only ever sees its own state. */
export function defineGroup<S>(group: CheckGroup<S>): CheckGroup<unknown> {
  return group as CheckGroup<unknown>;
}
