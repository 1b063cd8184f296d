import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { Batch, Cell } from "../data/types.js";
import { fsError, UserError } from "../errors.js";
import { type DatasetProfile, ProfileBuilder } from "../profile/index.js";

/** One line of the prediction server's JSON Lines log; the log is untrusted input. */
export const LogRecord = z.looseObject({
  requestId: z.string().min(1).max(200),
  row: z.number().int().nonnegative().optional().describe("the row's index in its request"),
  time: z.string().max(100).optional(),
  model: z.string().max(200).optional(),
  version: z.union([z.string().max(200), z.number()]).optional(),
  inputs: z.record(z.string(), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()])),
  outputs: z.strictObject({
    label: z.union([z.string().max(10_000), z.number(), z.boolean()]).optional(),
    probabilities: z.record(z.string(), z.number()).optional(),
    value: z.number().optional(),
  }),
});
export type LogRecord = z.infer<typeof LogRecord>;

export type LoggedOutput = LogRecord["outputs"];

export interface PredictionLog {
  /** The logged inputs, profiled on the given feature columns. */
  inputs: DatasetProfile;
  /** One column, `prediction`: the label (classification) or the value (regression). */
  predictions: DatasetProfile;
  /**
   * Outputs by row id, kept only when asked for (to join late labels): the row's `idColumn` value, else
   * `requestId:row`; a request of one row is also found by its plain request id (in `aliases`).
   */
  outputs?: Map<string, LoggedOutput>;
  aliases?: Map<string, string>;
  /** Lines that were not a valid record (bad JSON, wrong shape), left out. */
  badLines: number;
  firstBadLine?: { line: number; reason: string };
}

const MAX_LINE_CHARS = 1 << 20;
const BATCH_ROWS = 8192;

/** Reads a prediction log in one pass: inputs on `features`, outputs as a `prediction` column. */
export async function readPredictionLog(
  file: string,
  options: { cwd: string; features: string[]; keepOutputs: boolean; idColumn?: string },
): Promise<PredictionLog> {
  const absolute = path.resolve(options.cwd, file);
  const inputs = new ProfileBuilder(options.features);
  const predictions = new ProfileBuilder(["prediction"]);
  const outputs = options.keepOutputs ? new Map<string, LoggedOutput>() : undefined;
  // Rows seen per request id: the row index of logs written before the server logged `row`.
  const perRequest = new Map<string, { rows: number; first: string }>();
  let rows: Cell[][] = [];
  let predicted: Cell[] = [];
  let badLines = 0;
  let firstBadLine: PredictionLog["firstBadLine"];
  const flush = () => {
    if (predicted.length === 0) return;
    const size = predicted.length;
    const columns = options.features.map((_, c) => rows.map((row) => row[c] ?? null));
    inputs.add(batchOf(columns, size));
    predictions.add(batchOf([predicted], size));
    rows = [];
    predicted = [];
  };
  const stream = createReadStream(absolute, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error) => reject(fsError(error, file)));
  });
  await opened;
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.trim() === "") continue;
    const record = parseLine(text);
    if (typeof record === "string") {
      badLines++;
      firstBadLine ??= { line, reason: record };
      continue;
    }
    rows.push(options.features.map((name) => record.inputs[name] ?? null));
    const out = record.outputs;
    predicted.push(out.value ?? (out.label === undefined ? null : String(out.label)));
    if (outputs) {
      const seen = perRequest.get(record.requestId);
      const own = options.idColumn === undefined ? undefined : record.inputs[options.idColumn];
      const id =
        own !== undefined && own !== null && own !== ""
          ? String(own)
          : `${record.requestId}:${record.row ?? seen?.rows ?? 0}`;
      if (seen) seen.rows++;
      else perRequest.set(record.requestId, { rows: 1, first: id });
      outputs.set(id, out);
    }
    if (predicted.length >= BATCH_ROWS) flush();
  }
  flush();
  const aliases = outputs ? new Map<string, string>() : undefined;
  for (const [requestId, seen] of perRequest) if (seen.rows === 1) aliases!.set(requestId, seen.first);
  const result = {
    inputs: inputs.finish(),
    predictions: predictions.finish(),
    badLines,
    firstBadLine,
    outputs,
    aliases,
  };
  if (result.inputs.rows === 0) {
    const why = firstBadLine ? `; line ${firstBadLine.line}: ${firstBadLine.reason}` : "";
    throw new UserError(
      `no prediction records${why}; expected JSON Lines of {requestId, inputs, outputs}`,
      { file },
      1,
    );
  }
  return result;
}

function parseLine(text: string): LogRecord | string {
  if (text.length > MAX_LINE_CHARS) return `longer than ${MAX_LINE_CHARS} characters`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  const parsed = LogRecord.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join(".") || "record"}: ${issue?.message ?? "invalid"}`;
}

function batchOf(columns: Cell[][], size: number): Batch {
  return { columns, size, lines: new Int32Array(size), ragged: [] };
}
