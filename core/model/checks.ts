import { UserError } from "../errors.js";
import { featureWidth, type Table, toNumber } from "./preprocess.js";
import type { Preprocessor } from "./schema.js";

/** Where the training rows came from, so a bad value is reported at its file line. */
export interface RowSource {
  file?: string;
  /** The file line of each row (the data readers' `lines`); else rows are counted from 1. */
  lines?: ArrayLike<number>;
  /** Rows from several files: each row's file. */
  files?: { names: string[]; index: ArrayLike<number> };
}

/** "file:line" parts of an error about row `row`, as far as they are known. */
function placeOf(
  source: RowSource,
  row: number,
): { where: string; location: { file?: string; line?: number } } {
  const line = source.lines?.[row];
  const fileIndex = source.files?.index[row];
  const file = fileIndex === undefined ? source.file : source.files!.names[fileIndex];
  return {
    where: line === undefined ? `data row ${row + 1}` : `line ${line}`,
    location: { ...(file ? { file } : {}), ...(line === undefined ? {} : { line }) },
  };
}

// The manifest's bounds (schema.ts): past them a model could be trained but never saved or loaded.
export const MAX_CLASSES = 10_000;
export const MAX_NAME_LENGTH = 1000;
// Classification with this many classes and under two rows per class is an ID or a continuous value.
const NEAR_UNIQUE_CLASSES = 20;

/** Checks made before any training step: a refusal here costs the user seconds, not an epoch budget. */
export function checkTrainingInput(table: Table, used: (name: string) => boolean, source: RowSource): void {
  const rows = table.data[0]?.length ?? 0;
  if (rows === 0) {
    throw new UserError("the training data has no rows", { ...fileOf(source), field: "data.train" }, 1);
  }
  table.columns.forEach((name, c) => {
    if (name.length > MAX_NAME_LENGTH && used(name)) {
      throw new UserError(
        `column ${c + 1}'s name is ${name.length} characters long (the limit is ${MAX_NAME_LENGTH}); ` +
          `rename it in the header: ${JSON.stringify(name.slice(0, 40))}...`,
        { ...fileOf(source), line: 1 },
        1,
      );
    }
  });
}

/** A classification target the network cannot learn from is refused with the fix. */
export function checkTarget(prep: Preprocessor, rows: number): void {
  const target = prep.target;
  if (target.task !== "classification") return;
  const classes = target.classes.length;
  const hint =
    "it looks like an ID or a continuous value: choose another data.target, or set model.task: regression when it is numeric";
  if (classes > MAX_CLASSES) {
    throw new UserError(
      `target "${target.name}" has ${classes} distinct values over ${rows} rows; classification supports at most ${MAX_CLASSES} classes; ${hint}`,
      { field: "data.target" },
    );
  }
  if (classes > NEAR_UNIQUE_CLASSES && rows < 2 * classes) {
    throw new UserError(
      `target "${target.name}" has ${classes} distinct values over ${rows} rows (fewer than 2 rows per class); ${hint}`,
      { field: "data.target" },
    );
  }
}

/**
 * A value that encodes to a non-finite input (an extreme number such as 1e300) would turn the loss
 * into NaN at the first step; it is the data's fault, so exit 1 naming the column and the file line.
 */
export function checkEncoded(
  prep: Preprocessor,
  table: Table,
  x: Float32Array,
  rows: number,
  source: RowSource,
): void {
  const width = x.length / Math.max(rows, 1);
  for (let i = 0; i < x.length; i++) {
    if (x[i]! - x[i]! === 0) continue;
    const row = Math.floor(i / width);
    const feature = featureAt(prep, i - row * width);
    const cells = table.data[table.columns.indexOf(feature.name)] ?? [];
    const culprit = extremeRow(cells) ?? row;
    const { where, location } = placeOf(source, culprit);
    throw new UserError(
      `column "${feature.name}" holds ${String(cells[culprit]).slice(0, 40)} at ${where}, too large to train on ` +
        "(it overflows 32-bit floats once scaled); fix or drop that value, or clip the column",
      { ...location, field: feature.name },
      1,
    );
  }
}

/** A regression target that overflows once standardised: the data's fault too, not the learning rate's. */
export function checkEncodedTarget(
  prep: Preprocessor,
  table: Table,
  y: Float32Array,
  source: RowSource,
): void {
  for (let r = 0; r < y.length; r++) {
    if (y[r]! - y[r]! === 0) continue;
    const cells = table.data[table.columns.indexOf(prep.target.name)] ?? [];
    const culprit = extremeRow(cells) ?? r;
    const { where, location } = placeOf(source, culprit);
    throw new UserError(
      `target "${prep.target.name}" holds ${String(cells[culprit]).slice(0, 40)} at ${where}, too large to train on ` +
        "(it overflows 32-bit floats once scaled); fix or drop that row",
      { ...location, field: prep.target.name },
      1,
    );
  }
}

/** The feature whose encoded columns include `offset` of a row. */
export function featureAt(prep: Preprocessor, offset: number) {
  let at = 0;
  for (const feature of prep.features) {
    at += featureWidth(feature);
    if (offset < at) return feature;
  }
  return prep.features.at(-1)!;
}

/** The row with the largest magnitude, the usual cause of an overflow. */
function extremeRow(cells: Table["data"][number]): number | undefined {
  let best: number | undefined;
  let max = -1;
  for (let r = 0; r < cells.length; r++) {
    const value = Math.abs(toNumber(cells[r]));
    if (value > max) {
      max = value;
      best = r;
    }
  }
  return best;
}

function fileOf(source: RowSource): { file?: string } {
  return source.file ? { file: source.file } : {};
}

/** The loss or the weights stopped being numbers: the step size is the usual cause, so exit 2 naming it. */
export function divergedError(what: string, epoch: number, learningRate: number): UserError {
  // A tenth is the usual first step down; above 0.01 rarely trains an MLP on standardised inputs.
  const suggested = Number(Math.min(learningRate / 10, 0.01).toPrecision(2));
  return new UserError(
    `training diverged: the ${what} became non-finite at epoch ${epoch}; model.learningRate ${learningRate} is too large ` +
      `for this data; try model.learningRate: ${suggested} (no model was written)`,
    { field: "model.learningRate" },
  );
}

export function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]! - values[i]! !== 0) return false;
  return true;
}
