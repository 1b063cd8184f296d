import { cellKind, KIND_NAMES, Kind, type MissingTokens, missingTokens, quote } from "../../data/cells.js";
import type { Cell } from "../../data/types.js";
import { defineGroup } from "../check.js";

const KINDS = 5;

/** Per column and kind of cell: how many, the first line, and the first cell (for the message). */
interface KindState {
  /** `counts[c * KINDS + kind]` */
  counts: Float64Array;
  /** `first[c * KINDS + kind]`: 1-based line, 0 when none yet. */
  first: Int32Array;
  /** `examples[c * KINDS + kind]`: the cell on that first line. */
  examples: (Cell | undefined)[];
}

/** Per dictionary code, its kind: repeated text is classified once (not part of the state). */
const codeKinds = new WeakMap<readonly string[], { kinds: Uint8Array; seen: number }>();

function kindsOf(values: readonly string[], tokens: MissingTokens): Uint8Array {
  let entry = codeKinds.get(values);
  if (!entry) {
    entry = { kinds: new Uint8Array(64), seen: 0 };
    codeKinds.set(values, entry);
  }
  if (entry.kinds.length < values.length) {
    const grown = new Uint8Array(values.length * 2);
    grown.set(entry.kinds);
    entry.kinds = grown;
  }
  for (let code = entry.seen; code < values.length; code++)
    entry.kinds[code] = cellKind(values[code], tokens);
  entry.seen = values.length;
  return entry.kinds;
}

/**
 * Schema-less validation's type check: a column's type is what most of its present cells are,
 * decided over the whole file; cells of another kind in a number, boolean or date column are a
 * type change, an error at its first line. Text columns may hold anything.
 */
export const kindChecks = defineGroup<KindState | null>({
  name: "kinds",
  emits: ["type_change"],
  init: (plan) =>
    plan.options.schemaless
      ? {
          counts: new Float64Array(plan.header.length * KINDS),
          first: new Int32Array(plan.header.length * KINDS),
          examples: new Array(plan.header.length * KINDS).fill(undefined),
        }
      : null,
  add(plan, state, batch) {
    if (state === null) return;
    const tokens = missingTokens(plan.options.missing);
    const { counts, first, examples } = state;
    for (let c = 0; c < plan.header.length; c++) {
      const cells = batch.columns[c] ?? [];
      const numbers = batch.numbers?.[c];
      const text = batch.text?.[c];
      const kinds = text !== undefined ? kindsOf(text.values, tokens) : undefined;
      const base = c * KINDS;
      for (let r = 0; r < batch.size; r++) {
        let kind: Kind;
        let cell: Cell | undefined;
        if (numbers !== undefined && !Number.isNaN(numbers[r]!)) kind = Kind.number;
        else if (kinds !== undefined && text!.codes[r]! >= 0) {
          kind = kinds[text!.codes[r]!]! as Kind;
          if (first[base + kind] === 0) cell = text!.values[text!.codes[r]!];
        } else {
          cell = cells[r];
          kind = cellKind(cell, tokens);
        }
        counts[base + kind]!++;
        if (first[base + kind] === 0) {
          first[base + kind] = batch.lines[r]!;
          examples[base + kind] = cell ?? numbers?.[r];
        }
      }
    }
  },
  merge(_plan, into, from) {
    if (into === null || from === null) return;
    for (let i = 0; i < into.counts.length; i++) {
      into.counts[i]! += from.counts[i]!;
      const line = from.first[i]!;
      if (line !== 0 && (into.first[i] === 0 || line < into.first[i]!)) {
        into.first[i] = line;
        into.examples[i] = from.examples[i];
      }
    }
  },
  finish(plan, state, report) {
    if (state === null) return;
    for (const [c, name] of plan.header.entries()) {
      const base = c * KINDS;
      let major: Kind = Kind.text;
      let most = 0;
      for (let k = Kind.number; k <= Kind.text; k++) {
        if (state.counts[base + k]! > most) {
          most = state.counts[base + k]!;
          major = k as Kind;
        }
      }
      if (most === 0 || major === Kind.text) continue;
      for (let k = Kind.number; k <= Kind.text; k++) {
        const count = state.counts[base + k]!;
        if (k === major || count === 0) continue;
        const line = state.first[base + k]!;
        const example = state.examples[base + k];
        report.error({
          check: "type_change",
          column: name,
          lines: [line],
          count,
          message:
            `${name}: ${quote(example ?? null)} on line ${line} is ${KIND_NAMES[k as Kind]}, but the column holds ` +
            `${KIND_NAMES[major]} (${most} rows; first on line ${state.first[base + major]})` +
            (count > 1 ? `; ${count} rows in all are ${KIND_NAMES[k as Kind]}` : "") +
            `. Fix those cells, list their text in data.missing, or give a schema`,
        });
      }
    }
  },
});
