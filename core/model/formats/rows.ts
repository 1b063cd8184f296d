import type { Cell } from "../../data/types.js";
import { UserError } from "../../errors.js";
import type { Table } from "../preprocess.js";
import { transformRecords } from "../records.js";
import type { Preprocessor } from "../schema.js";
import type { FieldOf } from "./types.js";

const RECORD_FIELD = /^instances\[(\d+)\](?:\.(.*))?$/s;

/** Runs `work`, renaming transformRecords' `instances[i].column` fields into the request's own terms. */
export function withFields<T>(fieldOf: FieldOf, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const match = RECORD_FIELD.exec(error.location.field ?? "");
    if (!match) throw error;
    throw new UserError(error.message, { field: fieldOf(Number(match[1]), match[2]) });
  }
}

/** modelgate's encoding of request rows, errors in the request's terms. */
export function encodeRecords(prep: Preprocessor, rows: Record<string, unknown>[], fieldOf: FieldOf) {
  return withFields(fieldOf, () => transformRecords(prep, rows));
}

/**
 * Request rows to a table of the named columns. A row without one of them is refused, naming it;
 * values stay raw (the signature's dtype decides how a cell is read).
 */
export function recordsToTable(rows: Record<string, unknown>[], columns: string[], fieldOf: FieldOf): Table {
  const data: Cell[][] = columns.map(() => new Array<Cell>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw new UserError("expected an object of column values", { field: fieldOf(r) });
    for (let c = 0; c < columns.length; c++) {
      const name = columns[c]!;
      if (!Object.hasOwn(row, name)) {
        throw new UserError(`missing column "${name}"; the model takes: ${columns.join(", ")}`, {
          field: fieldOf(r, name),
        });
      }
      const value = row[name];
      if (value !== null && !["number", "string", "boolean"].includes(typeof value))
        throw new UserError("expected a number, string, boolean or null", { field: fieldOf(r, name) });
      data[c]![r] = value as Cell;
    }
  }
  return { columns, data };
}
