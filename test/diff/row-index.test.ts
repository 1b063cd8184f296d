import { describe, expect, test } from "vitest";
import type { ColumnTable } from "../../core/data/split.js";
import type { Cell } from "../../core/data/types.js";
import { buildRowIndex, diffRowIndexes, ROW_INDEX_CAP, RowIndex } from "../../core/diff/row-index.js";

/** A table from rows of cells under `columns`. */
function table(columns: string[], rows: Cell[][]): ColumnTable {
  return { columns, data: columns.map((_, c) => rows.map((row) => row[c]!)) };
}

const COLUMNS = ["id", "age", "city"];

describe("row index diff", () => {
  test("by id: added, removed and changed; a row moved from train to test is no change", () => {
    const before = buildRowIndex(
      table(COLUMNS, [
        ["1", "30", "Berlin"],
        ["2", "41", "Paris"],
        ["3", "25", "Rome"],
      ]),
      table(COLUMNS, [["9", "60", "Oslo"]]),
      "id",
    );
    const after = buildRowIndex(
      table(COLUMNS, [
        ["1", "30", "Berlin"],
        ["2", "42", "Paris"],
        ["4", "19", "Madrid"],
      ]),
      table(COLUMNS, [
        ["9", "60", "Oslo"],
        ["3", "25", "Rome"],
      ]),
      "id",
    );

    const diff = diffRowIndexes(RowIndex.parse(before), RowIndex.parse(after));

    expect(diff).toEqual({
      matchedBy: "id",
      notes: [],
      parts: [
        { part: "train", old: 3, new: 3, added: 1, removed: 0, changed: 1 },
        { part: "test", old: 1, new: 2, added: 0, removed: 0, changed: 0 },
      ],
    });
  });

  test("cells compare as values and columns by name: reordered columns and 30.0 vs 30 are no change", () => {
    const before = buildRowIndex(table(COLUMNS, [["1", "30.0", "Berlin"]]), undefined, "id");
    const after = buildRowIndex(table(["city", "id", "age"], [["Berlin", 1, 30]]), undefined, "id");

    expect(diffRowIndexes(before, after).parts).toEqual([
      { part: "train", old: 1, new: 1, added: 0, removed: 0, changed: 0 },
    ]);
  });

  test("without an id the rows are a multiset: a changed row is one removed and one added", () => {
    const columns = ["age", "city"];
    const before = buildRowIndex(
      table(columns, [
        ["30", "Berlin"],
        ["30", "Berlin"],
        ["41", "Paris"],
      ]),
      undefined,
    );
    const after = buildRowIndex(
      table(columns, [
        ["30", "Berlin"],
        ["42", "Paris"],
      ]),
      undefined,
    );

    const diff = diffRowIndexes(before, after);

    expect(diff.matchedBy).toBe("rows");
    expect(diff.parts).toEqual([{ part: "train", old: 3, new: 2, added: 1, removed: 2, changed: 0 }]);
  });

  test("above the cap only counts are kept, and the diff says so", () => {
    const rows = Array.from({ length: ROW_INDEX_CAP + 1 }, (_, i): Cell[] => [String(i), "1", "x"]);
    const big = buildRowIndex(table(COLUMNS, rows), undefined, "id");
    const small = buildRowIndex(table(COLUMNS, rows.slice(0, 10)), undefined, "id");

    const diff = diffRowIndexes(small, big);

    expect(big.parts.train).toEqual({ rows: ROW_INDEX_CAP + 1 });
    expect(diff).toEqual({
      matchedBy: "counts",
      parts: [{ part: "train", old: 10, new: ROW_INDEX_CAP + 1 }],
      notes: ["over 100,000 rows in a part: counts from profiles only"],
    });
  });

  test("a changed id column is said, and only counts are compared", () => {
    const before = buildRowIndex(table(COLUMNS, [["1", "30", "Berlin"]]), undefined, "id");
    const after = buildRowIndex(table(COLUMNS, [["1", "30", "Berlin"]]), undefined);

    const diff = diffRowIndexes(before, after);

    expect(diff.matchedBy).toBe("counts");
    expect(diff.notes).toEqual(['the id column changed ("id" → none): row counts only']);
  });

  test("an index whose hashes do not match its row count is treated as capped, never misread", () => {
    const good = buildRowIndex(table(COLUMNS, [["1", "30", "Berlin"]]), undefined, "id");
    const bad: RowIndex = { ...good, parts: { train: { rows: 2, hashes: good.parts.train.hashes! } } };

    expect(diffRowIndexes(good, bad).matchedBy).toBe("counts");
  });
});
