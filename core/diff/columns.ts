import { distributionOf, pointsWasserstein } from "../drift/buckets.js";
import { finerPair, numericPoints } from "../drift/views.js";
import type { ColumnProfile, ValueCount } from "../profile/schema.js";
import type { CategoryShift, ColumnChange, NumericShift, ShareChange } from "./schema.js";

const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
/** New and vanished categories listed at most. */
const CATEGORY_EXAMPLES = 10;
const SHARE_CHANGES = 5;

/** How one column's distribution moved between two profiles. */
export function compareColumn(column: string, before: ColumnProfile, after: ColumnProfile): ColumnChange {
  const change: ColumnChange = {
    column,
    kind: { old: before.kind, new: after.kind },
    missing: { old: share(before.missing, before.count), new: share(after.missing, after.count) },
  };
  if (before.kind === "numeric" && after.kind === "numeric") {
    const numeric = compareNumeric(before, after);
    if (numeric) change.numeric = numeric;
  }
  const categorical = (kind: string) => kind === "categorical" || kind === "boolean";
  if (categorical(before.kind) && categorical(after.kind))
    change.categorical = compareCategories(before, after);
  return change;
}

function compareNumeric(before: ColumnProfile, after: ColumnProfile): NumericShift | undefined {
  if (!before.numeric || !after.numeric) return undefined;
  // The finer of the profiles' sketch and grid: offset data (epoch seconds, years) keeps its shifts.
  const [pa, pb] = finerPair(numericPoints(before.numeric), numericPoints(after.numeric));
  const a = distributionOf(pa);
  const b = distributionOf(pb);
  const distance = pointsWasserstein(pa, pb);
  const std = before.numeric.std;
  return {
    mean: { old: before.numeric.mean, new: after.numeric.mean },
    std: { old: std, new: after.numeric.std },
    quantiles: QUANTILES.map((q) => ({ q, old: a.quantile(q), new: b.quantile(q) })),
    wasserstein: distance,
    // Scaled by the old spread (as Evidently does), so one threshold fits columns of any unit.
    normalizedWasserstein: distance === 0 ? 0 : std > 0 ? distance / std : null,
  };
}

function compareCategories(before: ColumnProfile, after: ColumnProfile): CategoryShift {
  if (!before.values.complete || !after.values.complete) {
    return { truncated: true, added: [], removed: [], shareChanges: [] };
  }
  const oldCounts = new Map(before.values.top.map((v) => [v.value, v.count]));
  const newCounts = new Map(after.values.top.map((v) => [v.value, v.count]));
  const only = (values: ValueCount[], other: Map<string, number>) =>
    values.filter((v) => !other.has(v.value)).slice(0, CATEGORY_EXAMPLES);
  const oldPresent = before.count - before.missing;
  const newPresent = after.count - after.missing;
  const changes: ShareChange[] = [];
  for (const value of new Set([...oldCounts.keys(), ...newCounts.keys()])) {
    const old = share(oldCounts.get(value) ?? 0, oldPresent);
    const now = share(newCounts.get(value) ?? 0, newPresent);
    if (old !== now) changes.push({ value, old, new: now, change: now - old });
  }
  changes.sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || (x.value < y.value ? -1 : 1));
  return {
    truncated: false,
    added: only(after.values.top, oldCounts),
    removed: only(before.values.top, newCounts),
    shareChanges: changes.slice(0, SHARE_CHANGES),
  };
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
