import { createHash } from "node:crypto";
import type { Cell } from "../data/types.js";
import { UserError } from "../errors.js";
import type {
  BooleanFeature,
  CategoricalFeature,
  Feature,
  NumericFeature,
  Preprocessor,
  Target,
} from "./schema.js";

/** Rows in columns: `data[c][r]` is row r of column `columns[c]` (the layout data readers produce). */
export interface Table {
  columns: string[];
  data: Cell[][];
}

export interface FitOptions {
  target: string;
  /** Default: every column but the target and the id. */
  features?: string[];
  id?: string;
  task?: "classification" | "regression";
}

export const MAX_CATEGORIES = 100;
// A numeric target with at most this many distinct integer values is read as class labels.
const MAX_CLASS_LIKE_VALUES = 20;
const MISSING = new Set(["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"]);
const TRUE = new Set(["true", "yes", "y", "t"]);
const FALSE = new Set(["false", "no", "n", "f"]);

export function isMissing(cell: unknown): boolean {
  return cell === null || cell === undefined || (typeof cell === "string" && MISSING.has(cell.trim()));
}

/** A finite number, or NaN when the cell is not one (missing cells included). */
export function toNumber(cell: unknown): number {
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : Number.NaN;
  if (typeof cell !== "string" || isMissing(cell)) return Number.NaN;
  const value = Number(cell);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** 1, 0, or NaN when the cell is not boolean-like. */
export function toBoolean(cell: unknown): number {
  if (typeof cell === "boolean") return cell ? 1 : 0;
  if (typeof cell !== "string") return Number.NaN;
  const word = cell.trim().toLowerCase();
  return TRUE.has(word) ? 1 : FALSE.has(word) ? 0 : Number.NaN;
}

export function labelOf(cell: Cell): string {
  return typeof cell === "string" ? cell.trim() : String(cell);
}

export function columnOf(table: Table, name: string, field: string): Cell[] {
  const index = table.columns.indexOf(name);
  if (index < 0) {
    throw new UserError(`column "${name}" not found; the data has columns: ${table.columns.join(", ")}`, {
      field,
    });
  }
  return table.data[index] ?? [];
}

/** Learns every statistic preprocessing needs from the training rows; nothing else is ever looked at. */
export function fitPreprocessor(table: Table, options: FitOptions): Preprocessor {
  const targetCells = columnOf(table, options.target, "data.target");
  const names = options.features ?? table.columns.filter((c) => c !== options.target && c !== options.id);
  const missing = names.filter((name) => !table.columns.includes(name));
  if (missing.length > 0) {
    throw new UserError(`feature columns not found in the data: ${missing.join(", ")}`, {
      field: "data.features",
    });
  }
  if (names.length === 0)
    throw new UserError("no feature columns left besides the target and id", { field: "data.features" });
  const features = names.map((name) => fitFeature(name, columnOf(table, name, "data.features")));
  return {
    features,
    target: fitTarget(options.target, targetCells, options.task),
    ...(options.id ? { id: options.id } : {}),
  };
}

function fitFeature(name: string, cells: Cell[]): Feature {
  const present = cells.filter((cell) => !isMissing(cell));
  if (present.length === 0) {
    throw new UserError(
      `feature "${name}" has no values (every row is missing); drop it from data.features`,
      {
        field: "data.features",
      },
    );
  }
  if (present.every((cell) => !Number.isNaN(toNumber(cell)))) return fitNumeric(name, cells, present.length);
  if (present.every((cell) => !Number.isNaN(toBoolean(cell)))) return fitBoolean(name, present);
  return fitCategorical(name, present);
}

function fitNumeric(name: string, cells: Cell[], presentCount: number): NumericFeature {
  const values = new Float64Array(presentCount);
  let k = 0;
  for (const cell of cells) {
    const value = toNumber(cell);
    if (!Number.isNaN(value)) values[k++] = value;
  }
  values.sort();
  const middle = values.length >> 1;
  const median = values.length % 2 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
  const { mean, std } = moments(values);
  return { name, kind: "numeric", median, mean, std, missingIndicator: presentCount < cells.length };
}

/** Mean and population standard deviation; a constant column gets std 1 so it scales to 0, not NaN. */
export function moments(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  const std = Math.sqrt(squares / values.length);
  return { mean, std: std > 1e-12 && Number.isFinite(std) ? std : 1 };
}

function fitBoolean(name: string, present: Cell[]): BooleanFeature {
  const trues = present.reduce<number>((sum, cell) => sum + toBoolean(cell), 0);
  return { name, kind: "boolean", fill: trues / present.length };
}

function fitCategorical(name: string, present: Cell[]): CategoricalFeature {
  const counts = new Map<string, number>();
  for (const cell of present) {
    const label = categoryKey(labelOf(cell));
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  // Most frequent first; ties by name so the one-hot layout does not depend on row order.
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = ranked.slice(0, MAX_CATEGORIES);
  const shares = kept.map(([, count]) => count / present.length);
  shares.push(Math.max(0, 1 - shares.reduce((sum, share) => sum + share, 0)));
  return { name, kind: "categorical", categories: kept.map(([label]) => label), shares };
}

// Longer category values are stored as a prefix and a hash: a model folder stays small and loadable,
// and two long values that differ only past the prefix stay apart.
export const MAX_CATEGORY_LENGTH = 200;

/** The label a category value is stored and looked up under. */
export function categoryKey(label: string): string {
  if (label.length <= MAX_CATEGORY_LENGTH) return label;
  const hash = createHash("sha256").update(label).digest("hex").slice(0, 16);
  return `${label.slice(0, MAX_CATEGORY_LENGTH - 24)}…#${hash}`;
}

function fitTarget(name: string, cells: Cell[], task: FitOptions["task"]): Target {
  const firstMissing = cells.findIndex((cell) => isMissing(cell));
  if (firstMissing >= 0) {
    const count = cells.filter((cell) => isMissing(cell)).length;
    throw new UserError(
      `target column "${name}" has ${count} missing value(s) (first in data row ${firstMissing + 1}); drop those rows`,
      { field: "data.target" },
    );
  }
  const numeric = cells.every((cell) => !Number.isNaN(toNumber(cell)));
  const resolved = task ?? inferTask(cells, numeric);
  if (resolved === "regression") {
    if (!numeric) {
      const bad = cells.find((cell) => Number.isNaN(toNumber(cell)));
      throw new UserError(`regression target "${name}" must be numeric; found ${JSON.stringify(bad)}`, {
        field: "data.target",
      });
    }
    return { task: "regression", name, ...moments(cells.map(toNumber)) };
  }
  const labels = [...new Set(cells.map(labelOf))];
  labels.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length < 2) {
    throw new UserError(
      `target column "${name}" has a single class (${JSON.stringify(labels[0] ?? "")}); classification needs at least two`,
      { field: "data.target" },
    );
  }
  return { task: "classification", name, classes: labels };
}

function inferTask(cells: Cell[], numeric: boolean): "classification" | "regression" {
  if (!numeric) return "classification";
  const values = cells.map(toNumber);
  if (values.some((v) => !Number.isInteger(v))) return "regression";
  return new Set(values).size > MAX_CLASS_LIKE_VALUES ? "regression" : "classification";
}

/** Width of the encoded row: one column per numeric (+1 missing indicator), per category (+1 unknown). */
export function encodedWidth(features: Feature[]): number {
  return features.reduce((sum, f) => sum + featureWidth(f), 0);
}

export function featureWidth(feature: Feature): number {
  if (feature.kind === "numeric") return feature.missingIndicator ? 2 : 1;
  if (feature.kind === "categorical") return feature.categories.length + 1;
  return 1;
}
