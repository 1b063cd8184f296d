import { formatCount } from "./format.js";
import type { DataDiffSummary } from "./schema.js";

/** The comment lists at most this many shifted columns; the report keeps more. */
export const SHOWN_SHIFTS = 10;
const SHOWN_COLUMNS = 10;
/** modelgate writes at most three notes; a report claiming more is cut, so the section stays small. */
const SHOWN_NOTES = 3;

/** True when the summary shows any change: the comment then puts it first. */
export function dataChanged(diff: DataDiffSummary): boolean {
  const rows = diff.parts.some(
    (p) =>
      (p.added ?? 0) + (p.removed ?? 0) + (p.changed ?? 0) > 0 || (p.old !== undefined && p.old !== p.new),
  );
  return rows || diff.columns.added.length + diff.columns.removed.length + diff.shifted.length > 0;
}

/** One table row per part (train, test): rows before → after and what moved; text, to be escaped by the renderer. */
export function diffRows(diff: DataDiffSummary): { head: string[]; rows: string[][] } {
  const matched = diff.matchedBy !== "counts";
  const head = ["Data", "Rows", "Added", "Removed", ...(diff.matchedBy === "id" ? ["Changed"] : [])];
  const count = (n: number | undefined) => (n === undefined || !matched ? "–" : formatCount(n));
  const rows = diff.parts.map((p) => [
    p.part,
    `${p.old === undefined ? "?" : formatCount(p.old)} → ${formatCount(p.new)}`,
    count(p.added),
    count(p.removed),
    ...(diff.matchedBy === "id" ? [count(p.changed)] : []),
  ]);
  return { head, rows };
}

/** The lines under the table, plain text: how rows were matched, columns, shifted columns, notes. */
export function diffLines(diff: DataDiffSummary): string[] {
  const lines: string[] = [];
  if (diff.matchedBy === "id" && diff.id) lines.push(`Rows matched by the id column ${diff.id}.`);
  else if (diff.matchedBy === "rows")
    lines.push("No id column: rows compared whole (a changed row is one removed and one added).");
  const names = (list: string[]) =>
    list.slice(0, SHOWN_COLUMNS).join(", ") +
    (list.length > SHOWN_COLUMNS ? `, and ${list.length - SHOWN_COLUMNS} more` : "");
  if (diff.columns.added.length) lines.push(`Columns added: ${names(diff.columns.added)}`);
  if (diff.columns.removed.length) lines.push(`Columns removed: ${names(diff.columns.removed)}`);
  lines.push(...diff.notes.slice(0, SHOWN_NOTES));
  return lines;
}

/** Shifted columns shown, and how many more there are. */
export function shownShifts(diff: DataDiffSummary): { shown: DataDiffSummary["shifted"]; more: number } {
  const shown = diff.shifted.slice(0, SHOWN_SHIFTS);
  return { shown, more: diff.shifted.length - shown.length + (diff.moreShifted ?? 0) };
}
