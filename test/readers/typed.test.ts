import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openData } from "../../core/data/readers/index.js";
import type { ColumnHint, DataSource } from "../../core/data/types.js";
import { DataSchema } from "../../core/data-schema/schema.js";
import { ProfileBuilder } from "../../core/profile/index.js";
import { columnHints, Validator } from "../../core/validate/index.js";
import { collect, tempDir } from "./helpers.js";

// Cells a number column may hold: plain decimals (typed) and everything that must take the text path.
const NUMBERS = [
  "1",
  "-0",
  "+5",
  "0",
  "42",
  "7.25",
  "1.",
  ".5",
  "-.5",
  "-12.5",
  "100",
  "101",
  "123456789012345",
  "1234567890123456",
  "12345678901234567890",
  "0.000000000000001",
  " 7",
  "7 ",
  "1e3",
  "1E-2",
  "NaN",
  "nan",
  "Infinity",
  "-inf",
  "",
  "0x1F",
  "1.2.3",
  "--1",
  "+",
  "-",
  ".",
  "abc",
  "true",
  '"3"',
  '"1,5"',
  '" 4 "',
  "\u0661",
];
const CATEGORIES = ["x", "y", "z", "", "w", "X", " x", '"y"', '"x,y"', "1", "NaN", "true"];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function letters(i: number): string {
  let text = "";
  do {
    text = String.fromCharCode(97 + (i % 26)) + text;
    i = Math.floor(i / 26);
  } while (i > 0);
  return text;
}

/** A CSV of tricky cells: a whole-number column, a number column, a category, free text, an unlisted column. */
function trickyCsv(rows: number, delimiter = ","): string {
  const pick = rng(7);
  const from = (pool: string[]) => pool[Math.floor(pick() * pool.length)]!;
  const lines = [["a", "b", "c", "d", "e"].join(delimiter)];
  for (let i = 0; i < rows; i++) {
    const roll = pick();
    if (roll < 0.01) lines.push("");
    else if (roll < 0.02) lines.push(["1", "2"].join(delimiter));
    else if (roll < 0.03) lines.push(["1", "2", "x", "d", "e", "extra"].join(delimiter));
    else {
      // Mostly distinct free text, so its dictionary fills up and gives up part way.
      const d = pick() < 0.9 ? letters(i) : from(["aa", "bb", "", "Q"]);
      const e = pick() < 0.5 ? from(CATEGORIES) : from(NUMBERS);
      const row = [from(NUMBERS), from(NUMBERS), from(CATEGORIES), d, e];
      lines.push(
        row
          .map((cell) => (cell.includes(delimiter) && !cell.startsWith('"') ? `"${cell}"` : cell))
          .join(delimiter),
      );
    }
  }
  return `${lines.join(pick() < 0.5 ? "\r\n" : "\n")}\n`;
}

const schema = DataSchema.parse({
  rows: { duplicates: "warning" },
  columns: {
    a: { type: "integer", min: 0, max: 100, nullable: false, mostly: 0.5 },
    b: { type: "number", min: -10, nullable: true },
    c: { type: "category", values: ["x", "y", "z"] },
    d: { type: "string", pattern: "^[a-z]+$", unique: true },
  },
  additionalColumns: true,
});

async function validateAndProfile(source: DataSource, typed: ColumnHint[] | undefined, batchSize: number) {
  const validator = new Validator(schema, source.columns, { maxErrors: 5, id: "d" });
  const profile = new ProfileBuilder(source.columns);
  for await (const batch of source.batches({ batchSize, typed })) {
    validator.add(batch);
    profile.add(batch);
  }
  const finished = profile.finish();
  return validator.finish({ fingerprint: "", file: source.name, profile: finished });
}

describe("typed CSV reading (BatchOptions.typed)", () => {
  for (const [label, delimiter, file] of [
    ["CSV", ",", "t.csv"],
    ["TSV", "\t", "t.tsv"],
  ] as const) {
    it(`gives the same validation result and profile as plain cells (${label})`, async () => {
      const dir = tempDir({ [file]: trickyCsv(6000, delimiter) });
      const [source] = await openData(join(dir, file), {});
      const hints = columnHints(schema, source!.columns);

      const plain = await validateAndProfile(source!, undefined, 8192);
      const typed = await validateAndProfile(source!, hints, 8192);
      const small = await validateAndProfile(source!, hints, 7);

      expect(hints).toEqual(["integer", "number", "text", "text", "text"]);
      expect(plain.errors.length).toBeGreaterThan(3);
      expect(typed).toEqual(plain);
      expect(small).toEqual(await validateAndProfile(source!, undefined, 7));
    });
  }

  it("types plain decimals and leaves every other cell as text", async () => {
    const dir = tempDir({ "t.csv": `n,i,t\n${NUMBERS.map((n) => `${n},${n},${n}`).join("\n")}\n` });
    const [source] = await openData(join(dir, "t.csv"), {});

    const [batch] = await collect(source!);
    const [typedBatch] = await (async () => {
      const out = [];
      for await (const b of source!.batches({ typed: ["number", "integer", "text"] })) {
        out.push({
          numbers: b.numbers!.map((v) => (v ? Array.from(v) : v)),
          text: b.text!.map((t) => (t ? { codes: Array.from(t.codes), values: [...t.values] } : t)),
          columns: b.columns.map((column) => [...column]),
        });
      }
      return out;
    })();

    const cells = batch!.columns[0]!;
    const plainDecimal = /^[+-]?(\d+\.?\d*|\.\d+)$/;
    cells.forEach((cell, r) => {
      const text = String(cell);
      const typed = plainDecimal.test(text) && text.replace(/\D/g, "").length <= 15;
      expect(typedBatch!.numbers[0]![r]).toEqual(typed ? Number(text) : Number.NaN);
      expect(typedBatch!.columns[0]![r]).toEqual(typed ? undefined : text);
      const whole = typed && !text.includes(".");
      expect(typedBatch!.numbers[1]![r]).toEqual(whole ? Number(text) : Number.NaN);
      const code = typedBatch!.text[2]!.codes[r]!;
      expect(typedBatch!.text[2]!.values[code]).toEqual(text);
    });
    expect(typedBatch!.numbers[2]).toBeUndefined();
  });

  it("counts the cells of ragged rows and keeps no cell of theirs", async () => {
    const dir = tempDir({ "t.csv": "a,b,c\n1,x,2\n3,y\n4,z,5,6,7\n8,w,abc\n" });
    const [source] = await openData(join(dir, "t.csv"), {});

    const seen = [];
    for await (const b of source!.batches({ typed: ["number", "text", "number"] })) {
      seen.push({
        size: b.size,
        ragged: b.ragged,
        a: Array.from(b.numbers![0]!),
        c: Array.from(b.numbers![2]!),
        cCells: [...b.columns[2]!],
        codes: Array.from(b.text![1]!.codes).map((code) => b.text![1]!.values[code]),
      });
    }

    expect(seen).toEqual([
      {
        size: 2,
        ragged: [
          { line: 3, cells: 2 },
          { line: 4, cells: 5 },
        ],
        a: [1, 8],
        c: [2, Number.NaN],
        cCells: [undefined, "abc"],
        codes: ["x", "w"],
      },
    ]);
  });

  it("is not used for a delimiter a number may contain", async () => {
    const dir = tempDir({ "t.csv": "a.b\n1.2\n" });
    const [source] = await openData(join(dir, "t.csv"), { delimiter: "." });

    const [batch] = await (async () => {
      const out = [];
      for await (const b of source!.batches({ typed: ["number", "number"] })) out.push(b);
      return out;
    })();

    expect(batch!.numbers).toBeUndefined();
    expect(batch!.columns).toEqual([["1"], ["2"]]);
  });
});
