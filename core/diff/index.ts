import type { DataSource } from "../data/types.js";
import { UserError } from "../errors.js";
import { alignedBatches, ProfileBuilder, unionColumns } from "../profile/index.js";
import { compareColumn } from "./columns.js";
import { DateColumns } from "./dates.js";
import { ContentMatcher, IdMatcher } from "./rows.js";
import type { DataDiff } from "./schema.js";

export { duplicateIdWarning, renderDiffMarkdown } from "./markdown.js";
export * from "./schema.js";

export interface DiffOptions {
  /** The column that keys rows; without it rows are compared as whole rows. */
  id?: string;
  /** Example ids listed per kind of change (default 10). */
  maxExamples?: number;
  /** The cell texts read as missing (`data.missing`); default: the shared list (core/data/cells.ts). */
  missing?: readonly string[];
}

/** A semantic diff of two datasets: rows added, removed and changed, columns, and distribution shifts. */
export async function diffData(
  oldSources: DataSource[],
  newSources: DataSource[],
  options: DiffOptions = {},
): Promise<DataDiff> {
  const { id, maxExamples = 10, missing } = options;
  const oldColumns = unionColumns(oldSources);
  const newColumns = unionColumns(newSources);
  if (id !== undefined) {
    requireId(id, oldSources, oldColumns);
    requireId(id, newSources, newColumns);
  }
  const compared = oldColumns.filter((c) => c !== id && newColumns.includes(c));
  const oldAt = compared.map((c) => oldColumns.indexOf(c));
  const newAt = compared.map((c) => newColumns.indexOf(c));
  const byId = id === undefined ? undefined : new IdMatcher(id, compared, maxExamples);
  const byContent = id === undefined ? new ContentMatcher() : undefined;
  const dates = new DateColumns(missing);

  const oldProfile = new ProfileBuilder(oldColumns, missing);
  for (const source of oldSources) {
    for await (const batch of alignedBatches(source, oldColumns)) {
      oldProfile.add(batch);
      byId?.addOld(batch, oldColumns.indexOf(id!), oldAt);
      byContent?.addOld(batch, oldAt);
      dates.add("old", batch, compared, oldAt);
    }
  }
  const newProfile = new ProfileBuilder(newColumns, missing);
  for (const source of newSources) {
    for await (const batch of alignedBatches(source, newColumns)) {
      newProfile.add(batch);
      byId?.addNew(batch, newColumns.indexOf(id!), newAt);
      byContent?.addNew(batch, newAt);
      dates.add("new", batch, compared, newAt);
    }
  }

  const before = oldProfile.finish();
  const after = newProfile.finish();
  const shifts = dates.finish();
  return {
    rows: { old: before.rows, new: after.rows },
    columns: {
      added: newColumns.filter((c) => !oldColumns.includes(c)),
      removed: oldColumns.filter((c) => !newColumns.includes(c)),
    },
    ...(byId && { byId: byId.finish() }),
    ...(byContent && { byContent: byContent.finish() }),
    distributions: compared.map((c) => {
      const change = compareColumn(c, before.columns[c]!, after.columns[c]!);
      const datetime = shifts.get(c);
      if (datetime) {
        // A date column's categories (every instant its own) say little; its instants do.
        delete change.categorical;
        change.datetime = datetime;
      }
      return change;
    }),
  };
}

function requireId(id: string, sources: DataSource[], columns: string[]): void {
  if (columns.includes(id)) return;
  const names = sources.map((s) => s.name).join(", ");
  throw new UserError(
    `no column "${id}" to key rows by; found columns: ${columns.join(", ") || "(none)"}; ` +
      "expected the id column named by data.id in modelgate.yml or --id",
    { file: names, field: "id" },
  );
}
