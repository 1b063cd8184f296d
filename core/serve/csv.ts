import { UserError } from "../errors.js";
import type { FieldOf, Row } from "./rows.js";
import { MAX_ROWS } from "./schema.js";

/**
 * MLflow's `Content-Type: text/csv` body (pandas.read_csv of the text): a header, then one record per
 * line. Bodies are size-capped before this runs, so a small whole-text RFC 4180 parser does; the data
 * readers' streaming parser is built around files and batches.
 */
export function csvRows(body: Buffer): { rows: Row[]; fieldOf: FieldOf } {
  // pandas skips blank lines; rows are then counted without them.
  const records = parseCsv(body.toString("utf8")).filter((r) => r.length > 1 || r[0] !== "");
  const header = records.shift();
  if (!header) {
    throw new UserError("the CSV body is empty; expected a header line and rows", { field: "body" });
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new UserError(`column "${name}" is named twice`, { field: "csv header" });
    seen.add(name);
  }
  if (records.length > MAX_ROWS) {
    throw new UserError(`${records.length} rows; the limit is ${MAX_ROWS}`, { field: "body" });
  }
  const rows = records.map((values, r) => {
    if (values.length !== header.length) {
      throw new UserError(`${values.length} values, but the header names ${header.length}`, {
        field: `csv row ${r + 1}`,
      });
    }
    const row: Row = {};
    header.forEach((name, c) => {
      row[name] = values[c] === "" ? null : values[c];
    });
    return row;
  });
  return {
    rows,
    fieldOf: (row, column) => `csv row ${row + 1}${column === undefined ? "" : ` (${column})`}`,
  };
}

function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') cell += text[++i];
      else quoted = false;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      record.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else cell += ch;
  }
  if (quoted) throw new UserError("a quoted field is not closed", { field: "body" });
  if (cell !== "" || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}
