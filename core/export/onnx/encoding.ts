import { featureWidth, isMissing } from "../../model/preprocess.js";
import type {
  BooleanFeature,
  CategoricalFeature,
  Feature,
  NumericFeature,
  Preprocessor,
} from "../../model/schema.js";
import type { GraphBuilder } from "./builder.js";
import { DataType, type ValueInfo } from "./proto.js";

/** The batch dimension's name in every input and output shape. */
export const BATCH = "N";

/** The ONNX element type of a feature's input: numbers and booleans as float64 (NaN: missing), categories as strings. */
export function inputType(feature: Feature): DataType {
  return feature.kind === "categorical" ? DataType.string : DataType.double;
}

export function featureInputs(prep: Preprocessor): ValueInfo[] {
  return prep.features.map((f) => ({
    name: f.name,
    type: inputType(f),
    shape: [BATCH, 1],
    doc: INPUT_DOC[f.kind],
  }));
}

const INPUT_DOC: Record<Feature["kind"], string> = {
  numeric: "a number; NaN (or ±Infinity) when missing",
  boolean: "1 for true, 0 for false; NaN when missing",
  categorical:
    "the category as text, trimmed; any other value (missing included) reads as the training mix of categories",
  // Refused before any input is written (index.ts): dates are not exported yet.
  datetime: "not exported",
};

/**
 * modelgate's preprocessing (encode.ts) in standard operators, returning the float [N, width] tensor the
 * network takes, columns in modelgate's order. Numbers are imputed and standardised in float64 and only then
 * rounded to float32, as encode.ts does, so the two agree bit for bit. Features of one kind are encoded
 * together and a final Gather puts the columns in place: the node count does not grow with the column count
 * except for categories, which need a LabelEncoder each.
 */
export function encodeFeatures(b: GraphBuilder, prep: Preprocessor): string {
  const blocks: Array<{ tensor: string; columns: number[] }> = [];
  const starts = columnStarts(prep.features);
  const numeric = indexed(prep.features, "numeric");
  if (numeric.length > 0) blocks.push(...encodeNumeric(b, numeric, starts));
  const booleans = indexed(prep.features, "boolean");
  if (booleans.length > 0) blocks.push(encodeBoolean(b, booleans, starts));
  for (const [feature, index] of indexed(prep.features, "categorical")) {
    blocks.push(encodeCategorical(b, feature, starts[index]!));
  }
  const encoded = b.concat(
    blocks.map((block) => block.tensor),
    "encoded_by_kind",
  );
  // Slot s of the by-kind layout holds modelgate's column order[s]; Gather wants the inverse.
  const order = blocks.flatMap((block) => block.columns);
  if (order.every((column, slot) => column === slot)) return encoded;
  const source = new BigInt64Array(order.length);
  order.forEach((column, slot) => {
    source[column] = BigInt(slot);
  });
  const indices = b.constant("column_order", { type: DataType.int64, values: source });
  return b.op("Gather", [encoded, indices], { attributes: [{ name: "axis", i: 1 }], hint: "encoded" });
}

type Of<K extends Feature["kind"]> = Extract<Feature, { kind: K }>;

function indexed<K extends Feature["kind"]>(features: Feature[], kind: K): Array<[Of<K>, number]> {
  return features.flatMap((f, i) => (f.kind === kind ? [[f as Of<K>, i] as [Of<K>, number]] : []));
}

/** The first encoded column of each feature. */
function columnStarts(features: Feature[]): number[] {
  let at = 0;
  return features.map((f) => {
    const start = at;
    at += featureWidth(f);
    return start;
  });
}

const doubles = (values: number[]) => ({ type: DataType.double, values: Float64Array.from(values) }) as const;

function encodeNumeric(
  b: GraphBuilder,
  features: Array<[NumericFeature, number]>,
  starts: number[],
): Array<{ tensor: string; columns: number[] }> {
  const x = b.concat(
    features.map(([f]) => f.name),
    "numeric_inputs",
  );
  // encode.ts's `value - value !== 0`: NaN and the infinities are missing.
  const missing = b.op("Or", [b.op("IsNaN", [x]), b.op("IsInf", [x])], { hint: "numeric_missing" });
  const medians = b.constant("numeric_medians", doubles(features.map(([f]) => f.median)));
  const filled = b.op("Where", [missing, medians, x], { hint: "numeric_imputed" });
  const centred = b.op("Sub", [filled, b.constant("numeric_means", doubles(features.map(([f]) => f.mean)))]);
  const scaled = b.op("Div", [centred, b.constant("numeric_stds", doubles(features.map(([f]) => f.std)))]);
  const blocks = [{ tensor: b.cast(scaled, DataType.float), columns: features.map(([, i]) => starts[i]!) }];
  const flagged = features.flatMap(([f], k) => (f.missingIndicator ? [k] : []));
  if (flagged.length > 0) {
    const picked =
      flagged.length === features.length
        ? missing
        : b.op("Gather", [missing, b.constant("flagged_columns", ints(flagged))], {
            attributes: [{ name: "axis", i: 1 }],
            hint: "flagged_missing",
          });
    blocks.push({
      tensor: b.cast(picked, DataType.float),
      columns: flagged.map((k) => starts[features[k]![1]]! + 1),
    });
  }
  return blocks;
}

function encodeBoolean(
  b: GraphBuilder,
  features: Array<[BooleanFeature, number]>,
  starts: number[],
): { tensor: string; columns: number[] } {
  const x = b.concat(
    features.map(([f]) => f.name),
    "boolean_inputs",
  );
  const fills = b.constant("boolean_fills", doubles(features.map(([f]) => f.fill)));
  const filled = b.op("Where", [b.op("IsNaN", [x]), fills, x], { hint: "boolean_imputed" });
  return { tensor: b.cast(filled, DataType.float), columns: features.map(([, i]) => starts[i]!) };
}

const ints = (values: number[]) =>
  ({ type: DataType.int64, values: BigInt64Array.from(values.map(BigInt)) }) as const;

/**
 * One-hot with the "other" slot last. Keys follow encode.ts's Map (a repeated category keeps its last slot)
 * and leave out labels modelgate can never match: missing-value words and text with surrounding spaces
 * (modelgate trims a cell before looking it up), so such an input takes the "other" slot in both.
 */
function encodeCategorical(
  b: GraphBuilder,
  feature: CategoricalFeature,
  start: number,
): { tensor: string; columns: number[] } {
  const slots = new Map(feature.categories.map((label, i) => [label, i]));
  const other = feature.categories.length;
  const keys = [...slots.keys()].filter((label) => label === label.trim() && !isMissing(label));
  // LabelEncoder needs a key: " " is one modelgate never matches (it trims), and here it maps to "other" too.
  if (keys.length === 0) slots.set(" ", other);
  if (keys.length === 0) keys.push(" ");
  const slot = b.op("LabelEncoder", [feature.name], {
    domain: "ai.onnx.ml",
    attributes: [
      { name: "keys_strings", strings: keys },
      { name: "values_int64s", ints: keys.map((k) => slots.get(k)!) },
      { name: "default_int64", i: other },
    ],
    hint: `${feature.name}_slot`,
  });
  const all = b.constant(`${feature.name}_slots`, ints(Array.from({ length: other + 1 }, (_, i) => i)), [
    1,
    other + 1,
  ]);
  const hot = b.cast(b.op("Equal", [slot, all], { hint: `${feature.name}_one_hot` }), DataType.float);
  const columns = Array.from({ length: other + 1 }, (_, i) => start + i);
  if (!feature.shares) return { tensor: hot, columns };
  // encode.ts: an unseen, rare or missing value (the "other" slot) reads as the training mix of categories.
  const mix = Float32Array.from({ length: other + 1 }, (_, i) => feature.shares![i] ?? 0);
  const shares = b.constant(`${feature.name}_shares`, { type: DataType.float, values: mix }, [1, other + 1]);
  const isOther = b.op("Equal", [slot, b.constant(`${feature.name}_other`, ints([other]), [1, 1])], {
    hint: `${feature.name}_is_other`,
  });
  return { tensor: b.op("Where", [isOther, shares, hot], { hint: `${feature.name}_encoded` }), columns };
}
