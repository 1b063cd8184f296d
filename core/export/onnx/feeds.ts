import { finiteNumber, type MissingTokens, missingTokens } from "../../data/cells.js";
import type { Cell } from "../../data/types.js";
import { featureColumns } from "../../model/encode.js";
import { isMissing, labelOf, type Table, toBoolean } from "../../model/preprocess.js";
import type { Preprocessor } from "../../model/schema.js";

/** One graph input's values, [rows, 1]. */
export type Feed = { type: "float64"; values: Float64Array } | { type: "string"; values: string[] };

/**
 * A table's columns as the exported graph's inputs: numbers as modelgate reads them (NaN when missing or
 * not a number), booleans as 1/0/NaN, categories as trimmed text ("" when missing). The contract a serving
 * stack follows, written once so the tests feed the graph the way the docs tell users to.
 */
export function onnxFeeds(prep: Preprocessor, table: Table): Record<string, Feed> {
  const columns = featureColumns(prep, table);
  // The training data's missing-value texts (`data.missing`): missing here as when modelgate encodes.
  const tokens = missingTokens(prep.missing);
  return Object.fromEntries(
    prep.features.map((feature, c) => [feature.name, feedOf(feature.kind, columns[c]!, tokens)]),
  );
}

function feedOf(kind: Preprocessor["features"][number]["kind"], cells: Cell[], tokens: MissingTokens): Feed {
  if (kind === "categorical")
    return { type: "string", values: cells.map((c) => (isMissing(c, tokens) ? "" : labelOf(c))) };
  if (kind !== "numeric")
    return {
      type: "float64",
      values: Float64Array.from(cells, (c) =>
        typeof c === "string" && tokens.has(c) ? Number.NaN : toBoolean(c),
      ),
    };
  const sentinels = tokens.numbers;
  return {
    type: "float64",
    values: Float64Array.from(cells, (c) => {
      const value = typeof c === "number" ? c : finiteNumber(c, tokens);
      return sentinels.has(value) ? Number.NaN : value;
    }),
  };
}
