import type { Batch, BatchOptions, Cell, DataSource } from "../data/types.js";
import { UserError } from "../errors.js";
import { ProfileBuilder, unionColumns } from "./builder.js";
import { DatasetProfile } from "./schema.js";

export { ProfileBuilder, type ProfileState, unionColumns } from "./builder.js";
export { cellKey } from "./cells.js";
export { KIND_AGREEMENT, TOP_VALUES } from "./column.js";
export { GRID_BUCKETS, gridPoints, NumericGrid, type Points } from "./grid.js";
export { HLL_RELATIVE_ERROR } from "./hll.js";
export { ColumnKind, ColumnProfile, DatasetProfile, GridData, SketchData, ValueCount } from "./schema.js";
export {
  alignedHistogram,
  type Bucket,
  QuantileSketch,
  RELATIVE_ACCURACY,
  wasserstein,
  wassersteinOfHistogram,
} from "./sketch.js";
export { DISTINCT_CAP } from "./values.js";

/** A source's batches laid out on `columns` (which must include all of the source's columns). */
export async function* alignedBatches(
  source: DataSource,
  columns: string[],
  options?: BatchOptions,
): AsyncIterable<Batch> {
  const same =
    source.columns.length === columns.length && source.columns.every((name, i) => name === columns[i]);
  const where = columns.map((name) => source.columns.indexOf(name));
  for await (const batch of source.batches(options)) {
    if (same) {
      yield batch;
      continue;
    }
    const nulls = new Array<Cell>(batch.size).fill(null);
    const aligned = where.map((c) => (c >= 0 ? batch.columns[c]! : nulls));
    yield { ...batch, columns: aligned };
  }
}

export async function profileSources(
  sources: DataSource[],
  options?: BatchOptions,
  missing?: readonly string[],
): Promise<DatasetProfile> {
  const columns = unionColumns(sources);
  const builder = new ProfileBuilder(columns, missing);
  for (const source of sources) {
    for await (const batch of alignedBatches(source, columns, options)) builder.add(batch);
    builder.settle();
  }
  return builder.finish();
}

/** A saved profile (`modelgate profile --out`), which is untrusted: JSON syntax and shape are checked. */
export function parseProfile(text: string, file: string): DatasetProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `not valid JSON (${reason}); expected a profile written by "modelgate profile --out"`,
      {
        file,
      },
    );
  }
  const parsed = DatasetProfile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join(".") || "(top level)";
    throw new UserError(`${issue.message}; expected a modelgate profile (version 1)`, { file, field });
  }
  return parsed.data;
}
