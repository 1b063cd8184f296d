import type { Cell } from "../data/types.js";
import { UserError } from "../errors.js";
import {
  columnOf,
  encodedWidth,
  featureWidth,
  isMissing,
  labelOf,
  type Table,
  toBoolean,
  toNumber,
} from "./preprocess.js";
import type { Feature, Preprocessor } from "./schema.js";

export interface Encoded {
  /** rows x encodedWidth, row-major. */
  x: Float32Array;
  /** Class index (classification) or standardised value (regression); only when the target column is there. */
  y?: Float32Array;
  rows: number;
}

/** Applies fitted preprocessing to a table: the training and evaluation data path, so it stays tight. */
export function transform(prep: Preprocessor, table: Table): Encoded {
  const missing = prep.features.filter((f) => !table.columns.includes(f.name)).map((f) => f.name);
  if (missing.length > 0) {
    throw new UserError(`the data lacks the model's feature columns: ${missing.join(", ")}`, {
      field: "data",
    });
  }
  const rows = table.data[0]?.length ?? 0;
  const width = encodedWidth(prep.features);
  const x = new Float32Array(rows * width);
  let offset = 0;
  for (const feature of prep.features) {
    encodeColumn(feature, columnOf(table, feature.name, "data"), x, width, offset);
    offset += featureWidth(feature);
  }
  const targetIndex = table.columns.indexOf(prep.target.name);
  if (targetIndex < 0) return { x, rows };
  return { x, y: encodeTarget(prep, table.data[targetIndex] ?? []), rows };
}

function encodeColumn(feature: Feature, cells: Cell[], x: Float32Array, width: number, offset: number): void {
  const rows = cells.length;
  if (feature.kind === "numeric") {
    const { median, mean, std, missingIndicator } = feature;
    for (let r = 0; r < rows; r++) {
      const cell = cells[r];
      // Typed cells (JSON, Parquet, in-memory tables) skip the string path: inference's hot loop.
      const value = typeof cell === "number" ? (Number.isFinite(cell) ? cell : Number.NaN) : toNumber(cell);
      const absent = Number.isNaN(value);
      x[r * width + offset] = ((absent ? median : value) - mean) / std;
      if (missingIndicator) x[r * width + offset + 1] = absent ? 1 : 0;
    }
  } else if (feature.kind === "boolean") {
    for (let r = 0; r < rows; r++) {
      const value = toBoolean(cells[r]);
      x[r * width + offset] = Number.isNaN(value) ? feature.fill : value;
    }
  } else {
    const slots = new Map(feature.categories.map((label, i) => [label, i]));
    const unknown = feature.categories.length;
    for (let r = 0; r < rows; r++) {
      const cell = cells[r]!;
      const slot = isMissing(cell) ? unknown : (slots.get(labelOf(cell)) ?? unknown);
      x[r * width + offset + slot] = 1;
    }
  }
}

function encodeTarget(prep: Preprocessor, cells: Cell[]): Float32Array {
  const target = prep.target;
  const y = new Float32Array(cells.length);
  const absent = cells.findIndex((cell) => isMissing(cell));
  if (absent >= 0) {
    throw new UserError(`target column "${target.name}" is missing in data row ${absent + 1}`, {
      field: target.name,
    });
  }
  if (target.task === "regression") {
    for (let r = 0; r < cells.length; r++) {
      const value = toNumber(cells[r]);
      if (Number.isNaN(value)) {
        throw new UserError(
          `target "${target.name}" in data row ${r + 1} is not a number: ${JSON.stringify(cells[r])}`,
          {
            field: target.name,
          },
        );
      }
      y[r] = (value - target.mean) / target.std;
    }
    return y;
  }
  const index = new Map(target.classes.map((label, i) => [label, i]));
  const unseen = new Set<string>();
  for (let r = 0; r < cells.length; r++) {
    const slot = index.get(labelOf(cells[r]!));
    if (slot === undefined) unseen.add(labelOf(cells[r]!));
    else y[r] = slot;
  }
  if (unseen.size > 0) {
    const shown = [...unseen].slice(0, 20).map((l) => JSON.stringify(l));
    throw new UserError(
      `target "${target.name}" has classes the model was not trained on: ${shown.join(", ")} ` +
        `(trained on ${target.classes.map((l) => JSON.stringify(l)).join(", ")})`,
      { field: target.name },
    );
  }
  return y;
}

/**
 * Serving's path: JSON records, checked row by row so a bad request is a 400 naming `instances[i].field`.
 * Missing values (null) are imputed as in training; absent keys, unknown keys and wrong types are errors.
 */
export function transformRecords(prep: Preprocessor, records: Record<string, unknown>[]): Float32Array {
  const known = new Set(prep.features.map((f) => f.name));
  const ignored = new Set([prep.target.name, ...(prep.id ? [prep.id] : [])]);
  const columns: Cell[][] = prep.features.map(() => new Array<Cell>(records.length));
  records.forEach((record, i) => {
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw new UserError("expected an object of feature values", { field: `instances[${i}]` });
    }
    for (const key of Object.keys(record)) {
      if (!known.has(key) && !ignored.has(key)) {
        throw new UserError(`unknown column; the model expects: ${[...known].join(", ")}`, {
          field: `instances[${i}].${key}`,
        });
      }
    }
    prep.features.forEach((feature, c) => {
      columns[c]![i] = checkValue(feature, record, `instances[${i}].${feature.name}`);
    });
  });
  return transform(prep, { columns: prep.features.map((f) => f.name), data: columns }).x;
}

function checkValue(feature: Feature, record: Record<string, unknown>, field: string): Cell {
  if (!Object.hasOwn(record, feature.name)) throw new UserError("missing column", { field });
  const value = record[feature.name];
  if (value === null) return null;
  const wrong = (expected: string) =>
    new UserError(`expected ${expected}, found ${JSON.stringify(value)?.slice(0, 100) ?? typeof value}`, {
      field,
    });
  if (feature.kind === "numeric") {
    if (Number.isNaN(toNumber(value)) && !isMissing(value)) throw wrong("a number or null");
    return value as Cell;
  }
  if (feature.kind === "boolean") {
    if (Number.isNaN(toBoolean(value)) && !isMissing(value)) throw wrong("true, false or null");
    return value as Cell;
  }
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    throw wrong("a string, number, boolean or null");
  }
  return value;
}
