import { createHash } from "node:crypto";
import { type LoadedConfig, resolveFrom } from "../config/index.js";
import { isMissing, type MissingTokens, missingTokens } from "../data/cells.js";
import { displayLocation } from "../data/location.js";
import { openData, readTable } from "../data/readers/index.js";
import { type ColumnTable, splitRows, takeRows } from "../data/split.js";
import type { Cell, ReadOptions } from "../data/types.js";
import { UserError } from "../errors.js";
import type { Logger } from "../ports.js";
import { fileFingerprint } from "./validate.js";

export interface DataPartInfo {
  file: string;
  rows: number;
  fingerprint: string;
}

export interface ProjectData {
  train: ColumnTable;
  test: ColumnTable;
  info: { train: DataPartInfo; test: DataPartInfo };
  /** The training file, when it is one file (so its `lines` are that file's lines). */
  trainFile?: string;
}

/** Reads every file of a location into one column table, with a content fingerprint. */
export async function loadTable(
  location: string,
  read: ReadOptions,
): Promise<{ table: ColumnTable; info: DataPartInfo }> {
  const sources = await openData(location, read);
  const parts = await Promise.all(sources.map((source) => readTable(source)));
  const first = parts[0]!;
  const data: Cell[][] = first.columns.map((_, c) => parts.flatMap((part) => part.data[c]!));
  const fingerprints = await Promise.all(
    sources.map((source) =>
      source.path ? fileFingerprint(source.path) : Promise.resolve(tableFingerprint(data)),
    ),
  );
  const fingerprint =
    fingerprints.length === 1
      ? fingerprints[0]!
      : `sha256:${createHash("sha256").update(fingerprints.join("\n")).digest("hex")}`;
  const rows = data[0]?.length ?? 0;
  return {
    table: { columns: first.columns, data, ...linesOf(parts, sources) },
    info: { file: location, rows, fingerprint },
  };
}

/** Each row's file line, and with several files each row's file, so errors can name where a value is. */
function linesOf(parts: { lines: Int32Array }[], sources: { name: string }[]): Partial<ColumnTable> {
  if (parts.length === 1) return { lines: parts[0]!.lines };
  // More files than a Uint16Array can index is a glob nobody reads errors for one by one.
  if (parts.length > 65_535) return {};
  const total = parts.reduce((sum, part) => sum + part.lines.length, 0);
  const lines = new Int32Array(total);
  const index = new Uint16Array(total);
  let at = 0;
  parts.forEach((part, i) => {
    lines.set(part.lines, at);
    index.fill(i, at, at + part.lines.length);
    at += part.lines.length;
  });
  return { lines, files: { names: sources.map((s) => s.name), index } };
}

/**
 * The project's train and test tables: `data.test` when configured, else the seeded split of
 * `data.train` (the same rows in train and in evaluate, since both split with the same seed).
 */
export async function loadProjectData(
  loaded: LoadedConfig,
  options: { cwd: string; testOverride?: string; logger?: Logger },
): Promise<ProjectData> {
  const { data } = loaded.config;
  const train = await readTraining(loaded, options);
  const trainFile = train.table.lines && !train.table.files ? { trainFile: train.file } : {};
  const testLocation = options.testOverride ?? (data.test ? train.at(data.test) : undefined);
  if (testLocation) {
    const test = await loadTable(testLocation, { cwd: options.cwd, delimiter: data.delimiter });
    requireTarget(test.table, data.target, testLocation);
    test.table = withTarget(test.table, data.target, testLocation, missingTokens(data.missing), train.warn);
    test.info.rows = test.table.data[0]?.length ?? 0;
    return {
      train: train.table,
      test: test.table,
      info: { train: train.info, test: test.info },
      ...trainFile,
    };
  }
  const rows = projectSplit(loaded, train.table, train.warn);
  const fingerprint = train.info.fingerprint;
  return {
    train: takeRows(train.table, rows.train),
    test: takeRows(train.table, rows.test),
    info: {
      train: { file: `${train.file} (split)`, rows: rows.train.length, fingerprint },
      test: {
        file: `${train.file} (held out ${data.split.test}, seed ${data.split.seed})`,
        rows: rows.test.length,
        fingerprint,
      },
    },
    ...trainFile,
  };
}

/**
 * `data.train` read, its target checked and its rows without a target left out (said out loud). Locations
 * are shown relative to the working directory: these names end up in reports and pull-request comments.
 */
async function readTraining(loaded: LoadedConfig, options: { cwd: string; logger?: Logger }) {
  const { data } = loaded.config;
  const warn = (message: string) => options.logger?.warning(message);
  const at = (location: string) => displayLocation(options.cwd, resolveFrom(loaded.root, location));
  const file = at(data.train);
  const train = await loadTable(file, { cwd: options.cwd, delimiter: data.delimiter });
  requireTarget(train.table, data.target, data.train);
  train.table = withTarget(train.table, data.target, file, missingTokens(data.missing), warn);
  train.info.rows = train.table.data[0]?.length ?? 0;
  return { ...train, file, at, warn };
}

/**
 * The seeded split of `data.train` into the rows training learns from and the held-out test rows,
 * stratified by class for classification; the same rows for train, evaluate and tune.
 */
function projectSplit(loaded: LoadedConfig, table: ColumnTable, warn?: (message: string) => void) {
  const { data } = loaded.config;
  const target = table.data[table.columns.indexOf(data.target)]!;
  const stratify = data.split.stratify && loaded.config.model.task !== "regression";
  if (stratify && warn) warnSingletons(target, warn);
  return splitRows(target.length, {
    test: data.split.test,
    seed: data.split.seed,
    stratifyBy: stratify ? target : undefined,
  });
}

function requireTarget(table: ColumnTable, target: string, file: string): void {
  if (!table.columns.includes(target)) {
    throw new UserError(
      `the target column '${target}' is not in the data; its columns are ${table.columns.join(", ")}`,
      { file, field: "data.target" },
    );
  }
}

/** The rows that have a target; the others are left out, said out loud with their lines. */
function withTarget(
  table: ColumnTable,
  target: string,
  file: string,
  tokens: MissingTokens,
  warn: (message: string) => void,
): ColumnTable {
  const cells = table.data[table.columns.indexOf(target)]!;
  const keep: number[] = [];
  const dropped: number[] = [];
  for (let r = 0; r < cells.length; r++) (isMissing(cells[r], tokens) ? dropped : keep).push(r);
  if (dropped.length === 0) return table;
  if (keep.length === 0)
    throw new UserError(`every row's target '${target}' is missing; expected target values`, {
      file,
      field: "data.target",
    });
  const lines = dropped.slice(0, 10).map((r) => table.lines?.[r] ?? r + 1);
  warn(
    `${file}: ${dropped.length} row(s) without a target '${target}' are left out (line${lines.length > 1 ? "s" : ""} ${lines.join(", ")}${dropped.length > 10 ? ", ..." : ""})`,
  );
  return takeRows(table, Int32Array.from(keep));
}

/** A class with one row cannot be both learnt and tested: the split keeps it for training. */
function warnSingletons(target: Cell[], warn: (message: string) => void): void {
  const counts = new Map<string, number>();
  for (const cell of target) counts.set(String(cell), (counts.get(String(cell)) ?? 0) + 1);
  const single = [...counts].filter(([, n]) => n === 1).map(([label]) => label);
  if (single.length === 0) return;
  const shown = single
    .slice(0, 10)
    .map((l) => JSON.stringify(l))
    .join(", ");
  warn(
    `${single.length} class(es) have a single row (${shown}${single.length > 10 ? ", ..." : ""}): training only, never tested`,
  );
}

function tableFingerprint(data: Cell[][]): string {
  const hash = createHash("sha256");
  const rows = data[0]?.length ?? 0;
  for (let r = 0; r < rows; r++)
    hash.update(`${data.map((column) => JSON.stringify(column[r] ?? null)).join("\u001f")}\n`);
  return `sha256:${hash.digest("hex")}`;
}

/** The share of the training rows that scores tuning trials. */
export const VALIDATION_SHARE = 0.2;

/**
 * Tuning's rows: the training rows only, split again (seeded, stratified for classification) into the
 * rows a trial learns from (`train`) and the rows that score it (`test`, the validation share).
 * `data.test` is never opened and a split's test share is never read, so a sweep cannot select on the
 * rows the gate later judges.
 */
export async function loadTrainingData(
  loaded: LoadedConfig,
  options: { cwd: string; logger?: Logger },
): Promise<ProjectData> {
  const { data } = loaded.config;
  const read = await readTraining(loaded, options);
  // Without data.test, the same split loadProjectData makes: its test rows stay out of the search.
  const table = data.test ? read.table : takeRows(read.table, projectSplit(loaded, read.table).train);
  const file = data.test ? read.file : `${read.file} (split)`;
  const target = table.data[table.columns.indexOf(data.target)]!;
  // An inferred task may be a regression: a target with about a value per row is not stratified.
  const classes = loaded.config.model.task !== "regression";
  const stratify = classes && new Set(target.map(String)).size * 5 <= target.length;
  const { train: learn, test: validate } = splitRows(target.length, {
    test: VALIDATION_SHARE,
    seed: data.split.seed,
    stratifyBy: stratify ? target : undefined,
  });
  if (learn.length === 0 || validate.length === 0) {
    throw new UserError(
      `${target.length} training row(s) are too few to hold out a validation share for tuning`,
      { file: data.train },
    );
  }
  const fingerprint = read.info.fingerprint;
  return {
    train: takeRows(table, learn),
    test: takeRows(table, validate),
    info: {
      train: { file: `${file} (tuning share)`, rows: learn.length, fingerprint },
      test: {
        file: `${file} (validation ${VALIDATION_SHARE}, seed ${data.split.seed})`,
        rows: validate.length,
        fingerprint,
      },
    },
    ...(table.lines && !table.files ? { trainFile: read.file } : {}),
  };
}
