import type { RaggedRow } from "../../data/types.js";
import { defineGroup, type Plan } from "../check.js";
import { mergeTally, newTally, note, type Tally, tallyMessage } from "../tally.js";

/** The header against the schema; decided by the header alone, so there is no state to merge. */
export const columnChecks = defineGroup<null>({
  name: "columns",
  emits: ["missing_column", "unexpected_column", "target_missing", "delimiter"],
  init: () => null,
  add() {},
  merge() {},
  finish(plan, _state, report) {
    const { schema, header, options } = plan;
    const present = new Set(header);
    const header1 = { lines: [1], count: 1 };
    if (header.length === 1 && options.schemaless) {
      report.warning({
        check: "delimiter",
        column: header[0],
        ...header1,
        message: `the data has one column ('${header[0]}'); if it should have more, set data.delimiter (or --delimiter)`,
      });
    }
    if (options.target !== undefined && !present.has(options.target)) {
      report.error({
        check: "target_missing",
        column: options.target,
        ...header1,
        message: `the target column '${options.target}' is not in the data (columns: ${listColumns(header)})`,
      });
    }
    const expected = new Set([
      ...Object.keys(schema.columns),
      ...(options.id !== undefined ? [options.id] : []),
    ]);
    for (const name of expected) {
      if (present.has(name) || name === options.target) continue;
      report.error({
        check: "missing_column",
        column: name,
        ...header1,
        message: `column '${name}' is missing from the data (columns: ${listColumns(header)})`,
      });
    }
    if (schema.additionalColumns) return;
    for (const column of plan.columns) {
      if (column.listed) continue;
      report.error({
        check: "unexpected_column",
        column: column.name,
        ...header1,
        message: `column '${column.name}' is not in the schema; list it there or set additionalColumns: true`,
      });
    }
  },
});

function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, 12).join(", ");
  return header.length > 12 ? `${shown}, ...` : shown || "none";
}

function raggedExample(row: RaggedRow, plan: Plan): string {
  if (row.reason !== undefined) return `malformed record: ${row.reason}`;
  return `record has ${row.cells} cell${row.cells === 1 ? "" : "s"}, expected ${plan.header.length}`;
}

/** Records the reader could not use as rows. */
export const raggedChecks = defineGroup<Tally>({
  name: "ragged",
  emits: ["ragged_row"],
  init: () => newTally(),
  add(plan, tally, batch) {
    for (const row of batch.ragged) {
      if (note(tally, row.line, plan.options.maxErrors)) tally.example = raggedExample(row, plan);
    }
  },
  merge(plan, into, from) {
    mergeTally(into, from, plan.options.maxErrors);
  },
  finish(_plan, tally, report) {
    if (tally.count === 0) return;
    report.error({
      check: "ragged_row",
      lines: tally.lines,
      count: tally.count,
      message: tallyMessage(tally),
    });
  },
});

/** Row count against `rows: {min, max}`; a header-only file is always an error. */
export const rowChecks = defineGroup<null>({
  name: "rows",
  emits: ["rows"],
  init: () => null,
  add() {},
  merge() {},
  finish(plan, _state, report) {
    const { min, max } = plan.schema.rows;
    const rows = report.rows;
    const issue = (message: string) => report.error({ check: "rows", lines: [], count: 0, message });
    if (rows === 0) issue("no data rows: the file has a header only or is empty");
    else if (min !== undefined && rows < min) issue(`${rows} data rows, fewer than rows.min ${min}`);
    if (max !== undefined && rows > max) issue(`${rows} data rows, more than rows.max ${max}`);
  },
});
