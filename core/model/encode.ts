import { datetimeParts, finiteNumber, type MissingTokens, missingTokens } from "../data/cells.js";
import type { Cell } from "../data/types.js";
import { UserError } from "../errors.js";
import {
  categoryKey,
  columnOf,
  encodedWidth,
  featureWidth,
  isMissing,
  labelOf,
  rowName,
  type Table,
  toBoolean,
  toNumber,
} from "./preprocess.js";
import { dateValue } from "./roles.js";
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
  const columns = featureColumns(prep, table);
  const rows = table.data[0]?.length ?? 0;
  const width = encodedWidth(prep.features);
  const x = new Float32Array(rows * width);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    encodeBlock(prep, columns, x, start * width, start, Math.min(BLOCK_ROWS, rows - start));
  }
  const targetIndex = table.columns.indexOf(prep.target.name);
  if (targetIndex < 0) return { x, rows };
  return { x, y: encodeTarget(prep, table.data[targetIndex] ?? [], table), rows };
}

// Rows encoded per pass over the columns: a block of x stays in cache while every column writes into it
// (column by column over all rows, each column swept the whole array: ~4x slower at 20k x 20).
const BLOCK_ROWS = 1024;

/** The table's cells for each feature, in the preprocessor's order; a UserError names missing ones. */
export function featureColumns(prep: Preprocessor, table: Table): Cell[][] {
  const missing = prep.features.filter((f) => !table.columns.includes(f.name)).map((f) => f.name);
  if (missing.length > 0) {
    throw new UserError(`the data lacks the model's feature columns: ${missing.join(", ")}`, {
      field: "data",
    });
  }
  return prep.features.map((f) => columnOf(table, f.name, "data"));
}

/**
 * Encodes rows [start, start + rows) into `out` from float offset `at`, row-major, every slot written
 * (so `out` may be reused memory): shared by transform and by predict, which writes straight into the
 * kernel's input, so one copy of this loop is hot by the time a freshly trained model predicts.
 */
export function encodeBlock(
  prep: Preprocessor,
  columns: Cell[][],
  out: Float32Array,
  at: number,
  start: number,
  rows: number,
): void {
  const width = encodedWidth(prep.features);
  // The training data's missing-value texts (`data.missing`, kept in the preprocessor): the same cells are
  // missing when the model learns, evaluates and serves.
  const tokens = missingTokens(prep.missing);
  let offset = at;
  const features = prep.features;
  for (let c = 0; c < features.length; c++) {
    const feature = features[c]!;
    const cells = columns[c]!;
    if (feature.kind === "numeric") encodeNumeric(feature, cells, out, offset, width, start, rows, tokens);
    else if (feature.kind === "boolean")
      encodeBoolean(feature, cells, out, offset, width, start, rows, tokens);
    else if (feature.kind === "datetime")
      encodeDatetime(feature, cells, out, offset, width, start, rows, tokens);
    else encodeCategorical(feature, cells, out, offset, width, start, rows, tokens);
    offset += featureWidth(feature);
  }
}

/**
 * Writes one feature's encoded columns for rows [start, start + rows) of `cells`, from float offset `at`,
 * a row every `width` floats. One loop per feature kind keeps each call site monomorphic.
 */
type ColumnEncoder<K extends Feature["kind"]> = (
  feature: Extract<Feature, { kind: K }>,
  cells: Cell[],
  out: Float32Array,
  at: number,
  width: number,
  start: number,
  rows: number,
  tokens: MissingTokens,
) => void;

// `v - v === 0` is Number.isFinite for a number; anything else (strings from CSV, null) takes toNumber,
// which the first test has ruled out. The flag's test is the same for every row: the branch is free.
const encodeNumeric: ColumnEncoder<"numeric"> = (feature, cells, out, at, width, start, rows, tokens) => {
  const { median, mean, std, missingIndicator } = feature;
  const sentinels = tokens.numbers;
  const checked = sentinels.size > 0;
  for (let r = 0, p = at; r < rows; r++, p += width) {
    const cell = cells[start + r];
    const value = typeof cell === "number" ? cell : finiteNumber(cell, tokens);
    const absent = value - value !== 0 || (checked && sentinels.has(value));
    out[p] = ((absent ? median : value) - mean) / std;
    if (missingIndicator) out[p + 1] = absent ? 1 : 0;
  }
};

const encodeBoolean: ColumnEncoder<"boolean"> = (feature, cells, out, at, width, start, rows, tokens) => {
  for (let r = 0, p = at; r < rows; r++, p += width) {
    const cell = cells[start + r];
    const value = typeof cell === "string" && tokens.has(cell) ? Number.NaN : toBoolean(cell);
    out[p] = Number.isNaN(value) ? feature.fill : value;
  }
};

/** Each date part standardised (the training median when the date is missing), then the flag. */
const encodeDatetime: ColumnEncoder<"datetime"> = (feature, cells, out, at, width, start, rows, tokens) => {
  const parts = feature.parts;
  for (let r = 0, p = at; r < rows; r++, p += width) {
    const ms = dateValue(cells[start + r], tokens);
    const absent = Number.isNaN(ms);
    const date = absent ? undefined : datetimeParts(ms);
    for (let i = 0; i < parts.length; i++) {
      const { part, median, mean, std } = parts[i]!;
      out[p + i] = ((date ? date[part] : median) - mean) / std;
    }
    if (feature.missingIndicator) out[p + parts.length] = absent ? 1 : 0;
  }
};

interface Slots {
  /** Stored label -> one-hot slot (a repeated label keeps its last slot). */
  byLabel: Map<string, number>;
  /**
   * The labels a cell can match as it is: trimmed and not a missing-value word, so for these the cell is
   * its own label and the lookup needs no trim, missing test or long-label hash (same slot, less work).
   */
  exact: Map<string, number>;
}
const slotMaps = new WeakMap<Extract<Feature, { kind: "categorical" }>, Slots>();

function slotsOf(feature: Extract<Feature, { kind: "categorical" }>, tokens: MissingTokens): Slots {
  let slots = slotMaps.get(feature);
  if (!slots) {
    const byLabel = new Map(feature.categories.map((label, i) => [label, i]));
    const exact = new Map(
      [...byLabel].filter(([label]) => !isMissing(label, tokens) && categoryKey(labelOf(label)) === label),
    );
    slots = { byLabel, exact };
    slotMaps.set(feature, slots);
  }
  return slots;
}

const encodeCategorical: ColumnEncoder<"categorical"> = (
  feature,
  cells,
  out,
  at,
  width,
  start,
  rows,
  tokens,
) => {
  const { byLabel, exact } = slotsOf(feature, tokens);
  const unknown = feature.categories.length;
  const { shares } = feature;
  for (let r = 0, p = at; r < rows; r++, p += width) {
    const cell = cells[start + r]!;
    let slot = (typeof cell === "string" ? exact.get(cell) : undefined) ?? -1;
    if (slot < 0 && !isMissing(cell, tokens)) slot = byLabel.get(categoryKey(labelOf(cell))) ?? -1;
    // An unseen or missing value reads as the training mix of categories: every weight it touches was
    // trained. (An all-zero row measured seed-dependent, spread 0.15; the mix stays within 0.05.)
    if (slot < 0 && shares) {
      for (let s = 0; s <= unknown; s++) out[p + s] = shares[s] ?? 0;
      continue;
    }
    if (slot < 0) slot = unknown;
    for (let s = 0; s <= unknown; s++) out[p + s] = 0;
    out[p + slot] = 1;
  }
};

export function encodeTarget(
  prep: Preprocessor,
  cells: Cell[],
  table: { lines?: Int32Array } = {},
): Float32Array {
  const target = prep.target;
  const y = new Float32Array(cells.length);
  const tokens = missingTokens(prep.missing);
  const absent = cells.findIndex((cell) => isMissing(cell, tokens));
  if (absent >= 0) {
    throw new UserError(`target column "${target.name}" is missing on ${rowName(table, absent)}`, {
      field: target.name,
    });
  }
  if (target.task === "regression") {
    for (let r = 0; r < cells.length; r++) {
      const value = toNumber(cells[r]);
      if (Number.isNaN(value)) {
        throw new UserError(
          `target "${target.name}" on ${rowName(table, r)} is not a number: ${JSON.stringify(cells[r])}`,
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
