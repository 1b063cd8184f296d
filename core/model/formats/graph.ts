import type { Cell } from "../../data/types.js";
import { UserError } from "../../errors.js";
import { transform } from "../encode.js";
import type { Prediction } from "../predict.js";
import { isMissing, labelOf, type Table, toBoolean, toNumber } from "../preprocess.js";
import type { ImportedManifest, SignatureInput } from "../schema.js";
import { encodeRecords, recordsToTable } from "./rows.js";
import { signatureColumns } from "./signature.js";
import type { Feed, FieldOf, Predictor, Runner } from "./types.js";

// Softmax outputs in float32 sum to 1 within a few ulps per class; logits miss by far more.
const SUM_TOLERANCE = 1e-3;
const RANGE_TOLERANCE = 1e-4;

/** An imported model (ONNX, a tfjs LayersModel or GraphModel): table columns mapped onto its inputs by the signature. */
export function graphPredictor(runner: Runner, manifest: ImportedManifest): Predictor {
  const { signature, preprocessor } = manifest;
  const columns = signatureColumns(signature);
  const tableField: FieldOf = (row, column) =>
    column === undefined ? `data row ${row + 1}` : `${column} (data row ${row + 1})`;

  // Data tables (evaluate, import) must score every row; a request's NaN row goes on to serve's 422.
  const score = async (
    table: Table,
    rows: number,
    fieldOf: FieldOf,
    encoded?: Float32Array,
    strict = false,
  ) => {
    const feeds: Record<string, Feed> = {};
    for (const input of signature.inputs) {
      feeds[input.name] = feed(input, table, rows, fieldOf, encoded, manifest.kind);
    }
    const out = await runner.run(feeds, signature.output);
    if (strict) requireFinite(out.data, rows, fieldOf);
    return toPrediction(out, manifest, rows);
  };

  return {
    kind: manifest.kind,
    manifest,
    preprocessor,
    backend: runner.backend,
    async predict(table) {
      const missing = columns.filter((c) => !table.columns.includes(c));
      if (missing.length > 0)
        throw new UserError(`the data lacks the model's input columns: ${missing.join(", ")}`, {
          field: "data",
        });
      const encoded = isEncoded(manifest) ? transform(preprocessor, table).x : undefined;
      const picked: Table = { columns, data: columns.map((c) => table.data[table.columns.indexOf(c)]!) };
      return score(picked, table.data[0]?.length ?? 0, tableField, encoded, true);
    },
    async predictRows(rows, fieldOf) {
      // The same checks (and words) as a modelgate-built model: unknown keys, absent keys, wrong kinds.
      const checked = encodeRecords(preprocessor, rows, fieldOf);
      const encoded = isEncoded(manifest) ? checked : undefined;
      const table = encoded ? { columns: [], data: [] } : recordsToTable(rows, columns, fieldOf);
      return score(table, rows.length, fieldOf, encoded);
    },
    dispose: () => runner.dispose(),
  };
}

const isEncoded = (manifest: ImportedManifest) =>
  manifest.signature.inputs.some((i) => i.layout === "encoded");

function feed(
  input: SignatureInput,
  table: Table,
  rows: number,
  fieldOf: FieldOf,
  encoded: Float32Array | undefined,
  kind: ImportedManifest["kind"],
): Feed {
  if (input.layout === "encoded") {
    const width = encoded!.length / Math.max(rows, 1);
    return { dtype: "float32", data: encoded!, dims: [rows, width] };
  }
  const k = input.columns.length;
  const cells = input.columns.map((c) => table.data[table.columns.indexOf(c)] ?? []);
  const dims = input.rank === 1 ? [rows] : [rows, k];
  const at = (r: number, c: number) => cells[c]![r] ?? null;
  switch (input.dtype) {
    case "string": {
      const data = new Array<string>(rows * k);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < k; c++) data[r * k + c] = isMissing(at(r, c)) ? "" : labelOf(at(r, c));
      return { dtype: "string", data, dims };
    }
    case "bool": {
      const data = new Uint8Array(rows * k);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < k; c++) data[r * k + c] = readNumber(at(r, c), input, c, r, fieldOf, "boolean");
      return { dtype: "bool", data, dims };
    }
    case "int32":
    case "int64": {
      const values = new Float64Array(rows * k);
      const [low, high] = integerRange(input.dtype, kind);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < k; c++) {
          const value = readNumber(at(r, c), input, c, r, fieldOf, "integer");
          if (value < low || value > high) {
            throw new UserError(
              `${value} is out of range: input "${input.name}" takes ${input.dtype} integers from ${low} to ${high}`,
              { field: fieldOf(r, input.columns[c]) },
            );
          }
          values[r * k + c] = value;
        }
      const data =
        input.dtype === "int32" ? Int32Array.from(values) : BigInt64Array.from(values, (v) => BigInt(v));
      return { dtype: input.dtype, data, dims };
    }
    default: {
      const data = input.dtype === "float64" ? new Float64Array(rows * k) : new Float32Array(rows * k);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < k; c++) data[r * k + c] = readNumber(at(r, c), input, c, r, fieldOf, "number");
      return { dtype: input.dtype, data, dims };
    }
  }
}

/**
 * The integers an input holds as they are (outside them a typed array wraps them silently): int32's range;
 * tfjs holds int64 as int32 too; ONNX int64 up to 2^53, past which a JSON or CSV number has lost digits.
 */
function integerRange(dtype: "int32" | "int64", kind: ImportedManifest["kind"]): [number, number] {
  if (dtype === "int64" && kind === "onnx") return [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  return [-(2 ** 31), 2 ** 31 - 1];
}

/** A number for a numeric input: missing is NaN (a float input's model imputes it), booleans are 1/0. */
function readNumber(
  cell: Cell,
  input: SignatureInput,
  c: number,
  r: number,
  fieldOf: FieldOf,
  want: "number" | "integer" | "boolean",
): number {
  const missing = isMissing(cell);
  let value = want === "boolean" ? toBoolean(cell) : toNumber(cell);
  if (Number.isNaN(value) && want !== "boolean") value = toBoolean(cell);
  if (missing && want === "number") return Number.NaN;
  if (Number.isNaN(value) || (want === "integer" && !Number.isInteger(value))) {
    throw new UserError(
      `${missing ? "missing value" : JSON.stringify(cell)}: input "${input.name}" takes ${want === "number" ? "numbers" : `${want}s`}`,
      { field: fieldOf(r, input.columns[c]) },
    );
  }
  return value;
}

/** The output as modelgate's Prediction; an output that is not probabilities is refused, not passed on. */
function toPrediction(
  out: { data: Float32Array; dims: number[] },
  manifest: ImportedManifest,
  rows: number,
): Prediction {
  const { signature } = manifest;
  const width = rows === 0 ? 0 : out.data.length / rows;
  const field = { field: "model.signature.output" };
  if (rows > 0 && !Number.isInteger(width))
    throw new UserError(
      `output "${signature.output}" gave ${out.data.length} values for ${rows} rows`,
      field,
    );
  const classes = signature.classes;
  if (!classes) {
    if (width > 1)
      throw new UserError(
        `output "${signature.output}" gives ${width} values per row; a regression model gives one`,
        field,
      );
    return { task: "regression", values: Float64Array.from(out.data) };
  }
  let probabilities = out.data;
  if (width === 1 && classes.length === 2) {
    probabilities = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      probabilities[r * 2] = 1 - out.data[r]!;
      probabilities[r * 2 + 1] = out.data[r]!;
    }
  } else if (rows > 0 && width !== classes.length) {
    throw new UserError(
      `output "${signature.output}" gives ${width} values per row, but there are ${classes.length} classes (${classes.join(", ")})`,
      field,
    );
  }
  checkProbabilities(probabilities, classes.length, signature.output, width);
  return { task: "classification", classes, probabilities };
}

function requireFinite(data: Float32Array, rows: number, fieldOf: FieldOf): void {
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad < 0) return;
  const row = Math.floor(bad / Math.max(1, data.length / rows));
  throw new UserError(
    `the model gives ${data[bad]} for this row (a missing value it does not impute?); it must give a number for every row`,
    { field: fieldOf(row) },
  );
}

function checkProbabilities(p: Float32Array, k: number, output: string, width: number): void {
  for (let r = 0; r < p.length / k; r++) {
    let sum = 0;
    let inRange = true;
    let finite = true;
    for (let c = 0; c < k; c++) {
      const v = p[r * k + c]!;
      if (!Number.isFinite(v)) finite = false;
      sum += v;
      if (!(v >= -RANGE_TOLERANCE && v <= 1 + RANGE_TOLERANCE)) inRange = false;
    }
    // A NaN row is not a wrong kind of output: serve answers it 422, tables refused it above.
    if (!finite || (inRange && Math.abs(sum - 1) <= SUM_TOLERANCE)) continue;
    const values = Array.from(p.subarray(r * k, (r + 1) * k), (v) => Number(v.toPrecision(4)));
    throw new UserError(
      `output "${output}" is not class probabilities: data row ${r + 1} gives [${width === 1 ? values[1] : values.join(", ")}]${width === 1 ? "" : ` (sum ${Number(sum.toPrecision(4))})`}; end the graph with a ${width === 1 ? "sigmoid" : "softmax"}, or set model.task: regression for a model that predicts numbers`,
      { field: "model.signature.output" },
    );
  }
}
