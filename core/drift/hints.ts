import type { Cell, ColumnHint, DataSource } from "../data/types.js";
import { parseNumber } from "../profile/cells.js";
import type { DatasetProfile } from "../profile/schema.js";

/**
 * How drift asks the CSV reader to type columns it has no schema for (BatchOptions.typed). Typing is
 * for speed only, profiles come out the same whatever the hints, so a wrong guess merely costs time.
 */

/** Distinct values in the sample up to which a text column is worth a dictionary (the reader caps it at 1024). */
const FEW_VALUES = 256;

/** Hints from the kinds a stored profile found, for data of the same shape (the current side). */
export function hintsFromProfile(profile: DatasetProfile): (source: DataSource) => ColumnHint[] {
  return (source) =>
    source.columns.map((name) => {
      const kind = profile.columns[name]?.kind;
      if (kind === "numeric") return "number";
      return kind === "categorical" || kind === "boolean" ? "text" : undefined;
    });
}

/** Rows the guess looks at: enough to tell numbers from categories, few enough to leave little garbage. */
const SAMPLE_ROWS = 1024;

/** Hints guessed from a source's first rows: mostly numbers, or few distinct texts. */
export async function guessHints(source: DataSource): Promise<ColumnHint[]> {
  for await (const batch of source.batches({ batchSize: SAMPLE_ROWS })) {
    return batch.columns.map((cells) => guessColumn(cells, batch.size));
  }
  return source.columns.map(() => undefined);
}

function guessColumn(cells: Cell[], size: number): ColumnHint {
  let filled = 0;
  let numbers = 0;
  const texts = new Set<Cell>();
  for (let r = 0; r < size; r++) {
    const cell = cells[r];
    if (cell === "" || cell === null || cell === undefined) continue;
    filled++;
    const x = typeof cell === "string" ? parseNumber(cell) : typeof cell === "number" ? cell : Number.NaN;
    if (x - x === 0) numbers++;
    else if (texts.size <= FEW_VALUES) texts.add(cell);
  }
  if (filled === 0) return undefined;
  if (numbers * 2 >= filled) return "number";
  return texts.size <= FEW_VALUES ? "text" : undefined;
}
