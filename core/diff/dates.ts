import { isMissing, type MissingTokens, missingTokens } from "../data/cells.js";
import { parseDatetime } from "../data/dates.js";
import type { Batch, Cell } from "../data/types.js";
import { distributionOf } from "../drift/buckets.js";
import { type ColumnProfile, gridPoints, ProfileBuilder } from "../profile/index.js";
import type { DateShift } from "./schema.js";

/**
 * Date columns for the diff, read by the shared cell grammar (core/data/dates.ts: ISO 8601,
 * `YYYY/MM/DD HH:MM`, `MM/DD/YYYY`, all UTC unless an offset is given) as epoch milliseconds.
 */
/** Share of a first batch's non-empty cells that must be dates for the column to count as dates. */
const DATE_AGREEMENT = 0.95;
const DAY_MS = 86_400_000;
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

type NumericSummary = NonNullable<ColumnProfile["numeric"]>;

export function parseIsoDate(cell: Cell | undefined): number {
  return parseDatetime(cell);
}

/** Whether a column's cells are dates: missing cells (`data.missing`, e.g. `NA`) neither count for nor against. */
export function looksLikeDates(
  cells: Cell[],
  size: number,
  missing: MissingTokens = missingTokens(),
): boolean {
  let present = 0;
  let dates = 0;
  for (let r = 0; r < size; r++) {
    const cell = cells[r];
    if (isMissing(cell, missing)) continue;
    present++;
    if (!Number.isNaN(parseIsoDate(cell))) dates++;
  }
  return present > 0 && dates >= DATE_AGREEMENT * present;
}

/** Collects the date columns of both sides as numbers (epoch ms) and says how they moved. */
export class DateColumns {
  private columns: string[] | undefined;
  private old?: ProfileBuilder;
  private new?: ProfileBuilder;
  private unparsed = { old: new Map<string, number>(), new: new Map<string, number>() };
  private readonly missing: MissingTokens;

  /** `missing`: the cell texts read as missing (`data.missing`); default: the shared list. */
  constructor(missing?: readonly string[]) {
    this.missing = missingTokens(missing);
  }

  /** `at` indexes the batch's columns for `compared`; the first batch seen decides which are dates. */
  add(side: "old" | "new", batch: Batch, compared: string[], at: number[]): void {
    if (this.columns === undefined) {
      this.columns = compared.filter((_, j) =>
        looksLikeDates(batch.columns[at[j]!]!, batch.size, this.missing),
      );
      this.old = new ProfileBuilder(this.columns, this.missing.list);
      this.new = new ProfileBuilder(this.columns, this.missing.list);
    }
    if (this.columns.length === 0) return;
    const where = this.columns.map((c) => at[compared.indexOf(c)]!);
    const unparsed = this.unparsed[side];
    const columns = where.map((c, j) =>
      batch.columns[c]!.slice(0, batch.size).map((cell) => {
        if (isMissing(cell, this.missing)) return null;
        const time = parseIsoDate(cell);
        if (Number.isNaN(time)) {
          const name = this.columns![j]!;
          unparsed.set(name, (unparsed.get(name) ?? 0) + 1);
          return null;
        }
        return time;
      }),
    );
    (side === "old" ? this.old : this.new)!.add({ ...batch, columns, numbers: undefined, text: undefined });
  }

  finish(): Map<string, DateShift> {
    const out = new Map<string, DateShift>();
    if (!this.columns || this.columns.length === 0) return out;
    const before = this.old!.finish();
    const after = this.new!.finish();
    for (const name of this.columns) {
      const a = before.columns[name]!.numeric;
      const b = after.columns[name]!.numeric;
      if (!a || !b) continue;
      const iso = (x: number) => new Date(x).toISOString();
      out.set(name, {
        min: { old: iso(a.min), new: iso(b.min) },
        max: { old: iso(a.max), new: iso(b.max) },
        quantiles: QUANTILES.map((q) => ({ q, old: iso(quantile(a, q)), new: iso(quantile(b, q)) })),
        meanShiftDays: (b.mean - a.mean) / DAY_MS,
        unparsed: { old: this.unparsed.old.get(name) ?? 0, new: this.unparsed.new.get(name) ?? 0 },
      });
    }
    return out;
  }
}

function quantile(numeric: NumericSummary, q: number): number {
  // The grid: ~0.1% of the range wide; the sketch's buckets would be ~0.5% of 1.7e12 ms, about 100 days.
  if (!numeric.grid) return numeric.min;
  return distributionOf(gridPoints(numeric.grid, numeric.min, numeric.max, numeric.integer)).quantile(q);
}
