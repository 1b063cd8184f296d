import { type MissingTokens, missingTokens } from "../data/cells.js";
import type { Cell } from "../data/types.js";
import { UserError } from "../errors.js";
import { transform } from "./encode.js";
import { isMissing, type Table, toBoolean, toNumber } from "./preprocess.js";
import { dateValue } from "./roles.js";
import type { Feature, Preprocessor } from "./schema.js";

/**
 * Serving's path: JSON records, checked row by row so a bad request is a 400 naming `instances[i].field`.
 * Missing values (null) are imputed as in training; absent keys, unknown keys and wrong types are errors.
 * Nothing is made per cell but the cell: a field name or message only for the value that is refused.
 */
export function transformRecords(prep: Preprocessor, records: Record<string, unknown>[]): Float32Array {
  return transform(prep, recordsTable(prep, records)).x;
}

/**
 * Records [start, start + count) checked (as transformRecords says) into a table of the features' cells, as
 * they are; fields name each record by its index in `records`.
 */
export function recordsTable(
  prep: Preprocessor,
  records: Record<string, unknown>[],
  start = 0,
  count = records.length - start,
): Table {
  const tokens = missingTokens(prep.missing);
  const features = prep.features;
  const known = new Set(features.map((f) => f.name));
  const ignoredList = [prep.target.name, ...(prep.id ? [prep.id] : [])];
  const ignored = new Set(ignoredList);
  const columns: Cell[][] = features.map(() => new Array<Cell>(count));
  const keysOk = (record: object, i: number) => {
    for (const key of Object.keys(record)) {
      if (!known.has(key) && !ignored.has(key)) {
        throw new UserError(`unknown column; the model expects: ${[...known].join(", ")}`, {
          field: `instances[${i}].${key}`,
        });
      }
    }
  };
  for (let i = start; i < start + count; i++) {
    const record = records[i];
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw new UserError("expected an object of feature values", { field: `instances[${i}]` });
    }
    // An unknown key is the first thing said. When a record (JSON: every key its own and enumerable) has as
    // many keys as features (besides the target and id) and every feature is there (checked below), it has
    // no other key: the key list is read only when needed.
    let keys = 0;
    for (const _ in record) keys++;
    for (const name of ignoredList) if (Object.hasOwn(record, name)) keys--;
    if (keys !== features.length) keysOk(record, i);
    for (let c = 0; c < features.length; c++) {
      const feature = features[c]!;
      const value = record[feature.name];
      const problem = Object.hasOwn(record, feature.name)
        ? valueProblem(feature, value, tokens)
        : "missing column";
      if (problem !== undefined) {
        keysOk(record, i);
        throw new UserError(problem, { field: `instances[${i}].${feature.name}` });
      }
      columns[c]![i - start] = value as Cell;
    }
  }
  return { columns: features.map((f) => f.name), data: columns };
}

/** Why a record's value for a feature is refused, or undefined when it is read (null: missing). */
function valueProblem(feature: Feature, value: unknown, tokens: MissingTokens): string | undefined {
  if (value === null) return undefined;
  const expected = expectedOf(feature, value, tokens);
  if (expected === undefined) return undefined;
  return `expected ${expected}, found ${JSON.stringify(value)?.slice(0, 100) ?? typeof value}`;
}

/** What the feature takes, when `value` is neither that nor a missing value. */
function expectedOf(feature: Feature, value: unknown, tokens: MissingTokens): string | undefined {
  if (feature.kind === "categorical") {
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
      ? undefined
      : "a string, number, boolean or null";
  }
  const read =
    feature.kind === "numeric"
      ? toNumber(value)
      : feature.kind === "boolean"
        ? toBoolean(value)
        : dateValue(value as Cell, tokens);
  if (!Number.isNaN(read) || isMissing(value, tokens)) return undefined;
  return EXPECTED[feature.kind];
}

const EXPECTED = {
  numeric: "a number or null",
  boolean: "true, false or null",
  datetime: "a date (ISO 8601, YYYY/MM/DD HH:MM or MM/DD/YYYY) or null",
} as const;
