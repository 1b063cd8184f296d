import type { Batch } from "../data/types.js";
import type { DataSchema } from "../data-schema/schema.js";
import type { BatchScratch, Plan, Report } from "./check.js";
import { CHECK_GROUPS } from "./checks/index.js";
import { compilePlan } from "./plan.js";
import type { Issue, ValidateOptions, ValidationResult } from "./schema.js";

/** A Validator's data: plain objects, arrays, typed arrays and Maps, so it crosses worker threads. */
export interface ValidatorState {
  schema: DataSchema;
  columns: string[];
  options: ValidateOptions;
  rows: number;
  /** One state per check group, in registry order. */
  groups: unknown[];
}

const ROW_SEED_A = 0x6a09e667 | 0;
const ROW_SEED_B = 0x3c6ef372 | 0;

/**
 * Validates batches against a data schema. Mergeable: workers each validate a byte range of the
 * same file, send `toState()`, and the lead merges them; the result equals one sequential pass.
 * Takes options already parsed (Validator parses them): worker threads load no zod (~5 MB each).
 */
export class ValidationRun {
  readonly #plan: Plan;
  #groups: unknown[];
  #rows = 0;
  #rowA = new Int32Array(0);
  #rowB = new Int32Array(0);

  constructor(schema: DataSchema, columns: string[], options: ValidateOptions) {
    this.#plan = compilePlan(schema, columns, options);
    this.#groups = CHECK_GROUPS.map((group) => group.init(this.#plan));
  }

  get rows(): number {
    return this.#rows;
  }

  add(batch: Batch): void {
    this.#rows += batch.size;
    const scratch = this.#scratch(batch.size);
    for (const [i, group] of CHECK_GROUPS.entries()) group.add(this.#plan, this.#groups[i], batch, scratch);
  }

  /** Row-hash buffers reused across batches; null when no check needs row hashes. */
  #scratch(size: number): BatchScratch {
    if (!this.#plan.hashRows) return { rowA: null, rowB: null };
    if (this.#rowA.length < size) {
      this.#rowA = new Int32Array(size);
      this.#rowB = new Int32Array(size);
    }
    const rowA = this.#rowA.subarray(0, size);
    const rowB = this.#rowB.subarray(0, size);
    rowA.fill(ROW_SEED_A);
    rowB.fill(ROW_SEED_B);
    return { rowA, rowB };
  }

  toState(): ValidatorState {
    const { schema, header, options } = this.#plan;
    return { schema, columns: [...header], options, rows: this.#rows, groups: this.#groups };
  }

  static fromState(state: ValidatorState): ValidationRun {
    const validator = new ValidationRun(state.schema, state.columns, state.options);
    validator.#rows = state.rows;
    validator.#groups = state.groups;
    return validator;
  }

  /** Folds another part of the same file in; `other` must have been made for the same header. */
  merge(other: ValidationRun | ValidatorState): void {
    const state = other instanceof ValidationRun ? other.toState() : other;
    const header = this.#plan.header;
    if (state.columns.length !== header.length || state.columns.some((name, i) => name !== header[i])) {
      throw new Error(`cannot merge validators of different headers: [${state.columns}] vs [${header}]`);
    }
    this.#rows += state.rows;
    for (const [i, group] of CHECK_GROUPS.entries())
      group.merge(this.#plan, this.#groups[i], state.groups[i]);
  }

  finish(extra: { fingerprint: string; profile?: unknown; file: string }): ValidationResult {
    const errors: Issue[] = [];
    const warnings: Issue[] = [];
    const report: Report = {
      rows: this.#rows,
      error: (issue) => errors.push(issue),
      warning: (issue) => warnings.push(issue),
    };
    for (const [i, group] of CHECK_GROUPS.entries()) group.finish(this.#plan, this.#groups[i], report);
    return {
      ok: errors.length === 0,
      file: extra.file,
      rows: this.#rows,
      columns: this.#plan.header.length,
      fingerprint: extra.fingerprint,
      errors,
      warnings,
      ...(extra.profile !== undefined ? { profile: extra.profile } : {}),
    };
  }
}
