import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { DATA_INDEX, diffRowIndexes, type Part, RowIndex, type RowsDiff } from "../diff/row-index.js";
import { shiftedColumns } from "../diff/shifts.js";
import { UserError } from "../errors.js";
import { parseAt } from "../parse.js";
import { parseProfile } from "../profile/index.js";
import type { DatasetProfile } from "../profile/schema.js";
import type { DataDiffSummary } from "../report/schema.js";
import { REFERENCE_PROFILE } from "./train.js";

/** Shifted columns kept in the report; the comment shows fewer. */
const MAX_SHIFTED = 100;
/** An index at the cap is ~2 MB a part; anything far beyond it is not one modelgate wrote. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024;

/**
 * The challenger's training data against the champion's, from the files training keeps in each model
 * folder (data-index.json, profile.json). Undefined when neither folder has either file.
 */
export async function diffModelData(
  challengerDir: string,
  championDir: string,
): Promise<DataDiffSummary | undefined> {
  const [oldIndex, newIndex, oldProfile, newProfile] = await Promise.all([
    readIndex(championDir),
    readIndex(challengerDir),
    readProfile(championDir),
    readProfile(challengerDir),
  ]);
  if (!newIndex && !newProfile) return undefined;
  const notes: string[] = [];
  let rows: RowsDiff;
  if (oldIndex && newIndex) rows = diffRowIndexes(oldIndex, newIndex);
  else {
    const side = oldIndex ? "the challenger" : "the champion";
    notes.push(`no row index for ${side}: counts from profiles only`);
    rows = {
      parts: profileCounts(oldIndex, newIndex, oldProfile, newProfile),
      matchedBy: "counts",
      notes: [],
    };
  }
  notes.push(...rows.notes);
  const id = newIndex?.id ?? oldIndex?.id;
  const oldColumns = columnsOf(oldIndex, oldProfile);
  const newColumns = columnsOf(newIndex, newProfile);
  const shifted =
    oldProfile && newProfile ? shiftedColumns(oldProfile, newProfile, id === undefined ? [] : [id]) : [];
  if (!oldProfile || !newProfile) notes.push("no training profile on both sides: column shifts not compared");
  return {
    parts: rows.parts,
    matchedBy: rows.matchedBy,
    ...(id !== undefined && rows.matchedBy === "id" ? { id: id.slice(0, 200) } : {}),
    columns: {
      added: capNames(newColumns.filter((c) => oldColumns.length > 0 && !oldColumns.includes(c))),
      removed: capNames(oldColumns.filter((c) => newColumns.length > 0 && !newColumns.includes(c))),
    },
    shifted: shifted.slice(0, MAX_SHIFTED).map((s) => ({ column: s.column.slice(0, 200), change: s.change })),
    ...(shifted.length > MAX_SHIFTED ? { moreShifted: shifted.length - MAX_SHIFTED } : {}),
    notes: notes.slice(0, 10),
  };
}

function profileCounts(
  oldIndex: RowIndex | undefined,
  newIndex: RowIndex | undefined,
  oldProfile: DatasetProfile | undefined,
  newProfile: DatasetProfile | undefined,
): DataDiffSummary["parts"] {
  const count = (index: RowIndex | undefined, profile: DatasetProfile | undefined, part: Part) =>
    index?.parts[part]?.rows ?? (part === "train" ? profile?.rows : undefined);
  return (["train", "test"] as const).flatMap((part) => {
    const now = count(newIndex, newProfile, part);
    if (now === undefined) return [];
    const old = count(oldIndex, oldProfile, part);
    return [{ part, new: now, ...(old !== undefined ? { old } : {}) }];
  });
}

function columnsOf(index: RowIndex | undefined, profile: DatasetProfile | undefined): string[] {
  if (profile) return Object.keys(profile.columns);
  if (!index) return [];
  return index.id ? [index.id, ...index.columns] : index.columns;
}

function capNames(names: string[]): string[] {
  return names.slice(0, 100).map((n) => n.slice(0, 200));
}

async function readIndex(dir: string): Promise<RowIndex | undefined> {
  const file = path.join(dir, DATA_INDEX);
  const text = await readCapped(file);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`not valid JSON; expected the row index modelgate train writes`, { file });
  }
  return parseAt(RowIndex, json, { what: "not a row index written by modelgate train", file });
}

async function readProfile(dir: string): Promise<DatasetProfile | undefined> {
  const file = path.join(dir, REFERENCE_PROFILE);
  const text = await readCapped(file);
  return text === undefined ? undefined : parseProfile(text, file);
}

async function readCapped(file: string): Promise<string | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  if (info.size > MAX_INDEX_BYTES) {
    throw new UserError(`over ${MAX_INDEX_BYTES / 1024 / 1024} MB; expected a file modelgate train wrote`, {
      file,
    });
  }
  return readFile(file, "utf8");
}
