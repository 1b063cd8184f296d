import { createHash } from "node:crypto";
import {
  cellBoolean,
  DEFAULT_MISSING,
  DEFAULT_TOKENS,
  datetimeParts,
  finiteNumber,
  type MissingTokens,
  missingTokens,
} from "../data/cells.js";
import type { Cell } from "../data/types.js";
import { UserError } from "../errors.js";
import { assignRoles, DATE_PARTS, dateValue, roleWarnings } from "./roles.js";
import type {
  BooleanFeature,
  CategoricalFeature,
  DatetimeFeature,
  Feature,
  NumericFeature,
  Preprocessor,
  Target,
} from "./schema.js";

/** Rows in columns: `data[c][r]` is row r of column `columns[c]` (the layout data readers produce). */
export interface Table {
  columns: string[];
  data: Cell[][];
  /** 1-based file line of each row, when known: messages cite it. */
  lines?: Int32Array;
}

export interface FitOptions {
  target: string;
  /** Default: every column but the target and the id. */
  features?: string[];
  id?: string;
  task?: "classification" | "regression";
  /** Cell texts read as missing (`data.missing`); default: DEFAULT_MISSING. */
  missing?: string[];
  /** Date columns: expanded into parts (default) or left out. */
  dates?: "expand" | "exclude";
  /** Told about columns left out (ID-like, constant, excluded dates). */
  warn?: (message: string) => void;
}

export const MAX_CATEGORIES = 100;
// A numeric target with at most this many distinct integer values is read as class labels.
const MAX_CLASS_LIKE_VALUES = 20;
/** Missing by the cell grammar (core/data/cells.ts); `tokens` default to DEFAULT_MISSING. */
export function isMissing(cell: unknown, tokens: MissingTokens = DEFAULT_TOKENS): boolean {
  if (cell === null || cell === undefined || cell === "") return true;
  return typeof cell === "string" && tokens.has(cell.trim());
}

/** A finite number, or NaN when the cell is not one (missing cells included). */
export function toNumber(cell: unknown): number {
  return finiteNumber(cell);
}

/** 1, 0, or NaN when the cell is not a boolean (true/false, yes/no). */
export function toBoolean(cell: unknown): number {
  const value = cellBoolean(cell);
  return value === undefined ? Number.NaN : value ? 1 : 0;
}

/** "line 12" when the table knows its file lines, else "data row 12". */
export function rowName(table: { lines?: Int32Array }, r: number): string {
  return table.lines ? `line ${table.lines[r]}` : `data row ${r + 1}`;
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
  const tokens = missingTokens(options.missing);
  const absent = (options.features ?? []).filter((name) => !table.columns.includes(name));
  if (absent.length > 0) {
    throw new UserError(`feature columns not found in the data: ${absent.join(", ")}`, {
      field: "data.features",
    });
  }
  const roles = assignRoles(table.columns, table.data, {
    target: options.target,
    id: options.id,
    features: options.features,
    dates: options.dates ?? "expand",
    tokens,
  });
  for (const warning of roleWarnings(roles)) options.warn?.(warning);
  const names = roles.filter((r) => r.role === "feature" || r.role === "datetime");
  if (names.length === 0) {
    throw new UserError(
      "no feature columns left besides the target, the id and the columns left out as ID-like, constant or dates",
      { field: "data.features" },
    );
  }
  const features = names.map(({ name, role }) => {
    const cells = columnOf(table, name, "data.features");
    if (role === "datetime") return fitDatetime(name, cells, tokens);
    return fitFeature(name, cells, tokens, (message, r) =>
      options.warn?.(`${message} (first on ${rowName(table, r)})`),
    );
  });
  return {
    features,
    target: fitTarget(options.target, targetCells, options.task, table),
    ...(options.id ? { id: options.id } : {}),
    roles,
    ...(options.missing && !sameList(options.missing, DEFAULT_MISSING) ? { missing: options.missing } : {}),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function fitDatetime(name: string, cells: Cell[], tokens: MissingTokens): DatetimeFeature {
  const values = DATE_PARTS.map(() => [] as number[]);
  for (const cell of cells) {
    const ms = dateValue(cell, tokens);
    if (Number.isNaN(ms)) continue;
    const parts = datetimeParts(ms);
    for (const [i, part] of DATE_PARTS.entries()) values[i]!.push(parts[part]);
  }
  const present = values[0]!.length;
  const parts = DATE_PARTS.map((part, i) => {
    const sorted = Float64Array.from(values[i]!).sort();
    const middle = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    return { part, median, ...moments(sorted) };
  });
  return { name, kind: "datetime", parts, missingIndicator: present < cells.length };
}

/** A column this share numbers or more is numeric: its few text cells are read as missing, with a warning. */
export const NUMERIC_SHARE = 0.9;

function fitFeature(
  name: string,
  cells: Cell[],
  tokens: MissingTokens,
  warn: (message: string, row: number) => void,
): Feature {
  const present = cells.filter((cell) => !isMissing(cell, tokens));
  if (present.length === 0) {
    throw new UserError(
      `feature "${name}" has no values (every row is missing); drop it from data.features`,
      {
        field: "data.features",
      },
    );
  }
  let numbers = 0;
  for (const cell of present) if (!Number.isNaN(toNumber(cell))) numbers++;
  if (numbers === present.length) return fitNumeric(name, cells, numbers);
  if (numbers >= NUMERIC_SHARE * present.length) {
    // A type change mid-file (validate reports it): one-hot text would make every number a category.
    const first = cells.findIndex((cell) => !isMissing(cell, tokens) && Number.isNaN(toNumber(cell)));
    warn(
      `feature '${name}' holds numbers but ${present.length - numbers} cell(s) of text such as ${JSON.stringify(cells[first])}; they are read as missing`,
      first,
    );
    return fitNumeric(name, cells, numbers);
  }
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

function fitTarget(name: string, cells: Cell[], task: FitOptions["task"], table: Table): Target {
  const firstMissing = cells.findIndex((cell) => isMissing(cell));
  if (firstMissing >= 0) {
    const count = cells.filter((cell) => isMissing(cell)).length;
    throw new UserError(
      `target column "${name}" has ${count} missing value(s) (first on ${rowName(table, firstMissing)}); drop those rows`,
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
  if (feature.kind === "datetime") return feature.parts.length + (feature.missingIndicator ? 1 : 0);
  if (feature.kind === "categorical") return feature.categories.length + 1;
  return 1;
}
