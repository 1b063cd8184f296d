import type { DatasetProfile } from "../profile/schema.js";
import { compareColumn } from "./columns.js";

/** A mean moving more than this many old standard deviations is a shift worth a reviewer's look. */
export const MEAN_SHIFT_STD = 0.1;
/** A category's share, or the missing share, moving more than this (5 points) is a shift. */
export const SHARE_SHIFT = 0.05;

export interface ColumnShift {
  column: string;
  change: string;
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const num = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));

/** Training columns (both profiles have them, `skip` aside) whose distribution moved, largest kind of move first. */
export function shiftedColumns(
  before: DatasetProfile,
  after: DatasetProfile,
  skip: readonly string[] = [],
): ColumnShift[] {
  const shifts: ColumnShift[] = [];
  for (const column of Object.keys(after.columns)) {
    const old = before.columns[column];
    const now = after.columns[column];
    if (!old || !now || skip.includes(column)) continue;
    const change = compareColumn(column, old, now);
    const why: string[] = [];
    if (change.kind.old !== change.kind.new) why.push(`kind ${change.kind.old} → ${change.kind.new}`);
    if (Math.abs(change.missing.new - change.missing.old) > SHARE_SHIFT)
      why.push(`missing ${pct(change.missing.old)} → ${pct(change.missing.new)}`);
    const numeric = change.numeric;
    if (numeric) {
      const moved = numeric.mean.new - numeric.mean.old;
      const std = numeric.std.old;
      if (std > 0 ? Math.abs(moved) / std > MEAN_SHIFT_STD : moved !== 0) {
        const inStd = std > 0 ? ` (${moved > 0 ? "+" : ""}${(moved / std).toFixed(2)} std)` : "";
        why.push(`mean ${num(numeric.mean.old)} → ${num(numeric.mean.new)}${inStd}`);
      }
    }
    const top = change.categorical?.shareChanges[0];
    if (top && Math.abs(top.change) > SHARE_SHIFT)
      why.push(`"${top.value.slice(0, 60)}" ${pct(top.old)} → ${pct(top.new)}`);
    if (why.length > 0) shifts.push({ column, change: why.join("; ") });
  }
  return shifts;
}
