import {
  cellNumber,
  DEFAULT_TOKENS,
  isBooleanWord,
  isMissing,
  type MissingTokens,
  missingTokens,
  parseDatetime,
} from "../data/cells.js";
import type { Batch, Cell, DataSource } from "../data/types.js";
import type { ColumnSpec, ColumnType, DataSchema } from "./schema.js";

export interface InferOptions {
  target?: string;
  id?: string;
  /** Known task; without it a numeric target with few distinct integers counts as classification. */
  task?: "classification" | "regression";
  /** Cell texts read as missing (`data.missing`); default: DEFAULT_MISSING. */
  missing?: readonly string[];
}

/** A text column is a category when it has at most this many distinct values... */
export const MAX_CATEGORIES = 50;
/** ...and they are at most this share of the rows (a 5-row table is not a 5-category column). */
export const MAX_CATEGORY_SHARE = 0.05;
/** An integer target with at most this many classes is a classification target when the task is unknown. */
const MAX_INTEGER_CLASSES = 20;

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** Column facts gathered in one pass; types start possible and are ruled out by values. */
class ColumnFacts {
  rows = 0;
  missing = 0;
  integer = true;
  number = true;
  boolean = true;
  datetime = true;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Distinct values as text, until there are too many to be categories. */
  distinct: Map<string, number> | undefined = new Map();

  constructor(private readonly tokens: MissingTokens = DEFAULT_TOKENS) {}

  add(cell: Cell): void {
    this.rows++;
    if (isMissing(cell, this.tokens)) {
      this.missing++;
      return;
    }
    const n = cellNumber(cell);
    if (Number.isFinite(n) && typeof cell !== "boolean") {
      if (this.integer && !(typeof cell === "number" ? Number.isInteger(n) : INTEGER_TEXT.test(String(cell))))
        this.integer = false;
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
    } else {
      this.integer = false;
      this.number = false;
    }
    if (this.boolean && !(typeof cell === "boolean" || (typeof cell === "string" && isBooleanWord(cell))))
      this.boolean = false;
    if (this.datetime && Number.isNaN(parseDatetime(cell))) this.datetime = false;
    const distinct = this.distinct;
    if (distinct) {
      const text = typeof cell === "string" ? cell : String(cell);
      distinct.set(text, (distinct.get(text) ?? 0) + 1);
      // Keep one more than allowed so "too many" is still known.
      if (distinct.size > MAX_CATEGORIES) this.distinct = undefined;
    }
  }

  spec(role: "target" | "id" | "feature", task: InferOptions["task"]): ColumnSpec {
    const present = this.rows - this.missing;
    const base = { nullable: this.missing > 0, mostly: 1, unique: role === "id" };
    const type = this.type(role, task, present);
    const spec: ColumnSpec = { type, ...base };
    if ((type === "integer" || type === "number") && role !== "id" && present > 0) {
      spec.min = this.min;
      spec.max = this.max;
    }
    if (type === "category" && this.distinct) spec.values = [...this.distinct.keys()].sort(compareText);
    return spec;
  }

  private type(role: "target" | "id" | "feature", task: InferOptions["task"], present: number): ColumnType {
    if (present === 0) return "string";
    const few = this.distinct !== undefined;
    if (role === "target") {
      if (task === "regression" && this.number) return this.integer ? "integer" : "number";
      if (task === "classification" && few) return "category";
      if (!this.number && few) return "category";
      if (task === undefined && this.integer && few && this.distinct!.size <= MAX_INTEGER_CLASSES)
        return "category";
    }
    if (this.integer) return "integer";
    if (this.number) return "number";
    if (this.boolean) return "boolean";
    if (this.datetime) return "datetime";
    if (role !== "id" && few && this.distinct!.size <= Math.max(1, MAX_CATEGORY_SHARE * present))
      return "category";
    return "string";
  }
}

function compareText(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== "" && b !== "" && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Infers a data schema batch by batch; `finish` turns the facts into column specs. */
export class SchemaInferrer {
  readonly #facts = new Map<string, ColumnFacts>();
  readonly #options: InferOptions;
  #rows = 0;

  constructor(options: InferOptions = {}) {
    this.#options = options;
  }

  add(columns: readonly string[], batch: Batch): void {
    this.#rows += batch.size;
    for (const [c, name] of columns.entries()) {
      let facts = this.#facts.get(name);
      if (!facts) {
        facts = new ColumnFacts(missingTokens(this.#options.missing));
        this.#facts.set(name, facts);
      }
      const cells = batch.columns[c] ?? [];
      for (let r = 0; r < batch.size; r++) facts.add(cells[r] ?? null);
    }
  }

  finish(): DataSchema {
    const { target, id, task } = this.#options;
    const columns: Record<string, ColumnSpec> = {};
    for (const [name, facts] of this.#facts) {
      // A column one source lacks is missing in all of that source's rows.
      facts.missing += this.#rows - facts.rows;
      facts.rows = this.#rows;
      const role = name === target ? "target" : name === id ? "id" : "feature";
      columns[name] = facts.spec(role, task);
    }
    return { rows: { min: 1, duplicates: "warning" }, columns, additionalColumns: false };
  }
}

/** The schema `modelgate schema infer` writes: one pass over every source. */
export async function inferSchema(
  sources: readonly DataSource[],
  options: InferOptions = {},
): Promise<DataSchema> {
  const inferrer = new SchemaInferrer(options);
  for (const source of sources) {
    for await (const batch of source.batches()) inferrer.add(source.columns, batch);
  }
  return inferrer.finish();
}
