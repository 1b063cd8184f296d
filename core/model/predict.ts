import * as tf from "@tensorflow/tfjs";
import { encodeBlock, featureColumns, transform } from "./encode.js";
import { kernelPredict, kernelPredictRows } from "./kernel-predict.js";
import type { Network } from "./network.js";
import type { Table } from "./preprocess.js";
import { recordsTable } from "./records.js";
import type { Preprocessor } from "./schema.js";

/** What predicts: a freshly trained model or one loaded from a folder. */
export interface NetworkPredictor {
  model: tf.LayersModel;
  /** The plain network the kernels run, when the model is one (else the tfjs model is used). */
  network?: Network;
  preprocessor: Preprocessor;
  inputDim: number;
}

export type Prediction =
  | { task: "classification"; classes: string[] /** rows x classes */; probabilities: Float32Array }
  | { task: "regression"; values: Float64Array };

// model.predict's default batch of 32 was ~100x slower on wasm; past a few thousand rows it stops mattering.
const PREDICT_BATCH = 8192;
// Rows per uploaded chunk, so a large table never needs one giant tensor.
const CHUNK_ROWS = 65536;

/** Predicts for a table of raw feature values; the model's preprocessing is applied first. */
export function predict(predictor: NetworkPredictor, table: Table): Prediction {
  const prep = predictor.preprocessor;
  const columns = featureColumns(prep, table);
  const rows = table.data[0]?.length ?? 0;
  // Rows are encoded straight into the kernel's input a chunk at a time: no rows x width array.
  const out = kernelPredictRows(predictor.network ?? predictor.model, rows, (mem, at, start, m) =>
    encodeBlock(prep, columns, mem, at, start, m),
  );
  if (out) return finish(predictor, out, rows);
  const { x } = transform(prep, table);
  return predictEncoded(predictor, x, rows);
}

/**
 * Serving's path: records checked field by field (UserError naming `instances[i].field`), a chunk at a time
 * straight into the kernel's input, so a large request allocates no column arrays that outlive a chunk.
 */
export function predictRecords(predictor: NetworkPredictor, records: Record<string, unknown>[]): Prediction {
  const prep = predictor.preprocessor;
  const out = kernelPredictRows(predictor.network ?? predictor.model, records.length, (mem, at, start, m) =>
    encodeBlock(prep, recordsTable(prep, records, start, m).data, mem, at, 0, m),
  );
  if (out) return finish(predictor, out, records.length);
  return predict(predictor, recordsTable(prep, records));
}

export function predictEncoded(predictor: NetworkPredictor, x: Float32Array, rows: number): Prediction {
  const { model, inputDim, preprocessor, network } = predictor;
  const target = preprocessor.target;
  const outputs = target.task === "classification" ? target.classes.length : 1;
  return finish(
    predictor,
    kernelPredict(network ?? model, x, rows) ?? tfjsPredict(model, x, rows, inputDim, outputs),
    rows,
  );
}

function finish(predictor: NetworkPredictor, out: Float32Array, rows: number): Prediction {
  const target = predictor.preprocessor.target;
  if (target.task === "classification")
    return { task: "classification", classes: target.classes, probabilities: out };
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) values[r] = out[r]! * target.std + target.mean;
  return { task: "regression", values };
}

function tfjsPredict(
  model: tf.LayersModel,
  x: Float32Array,
  rows: number,
  inputDim: number,
  outputs: number,
) {
  const out = new Float32Array(rows * outputs);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const m = Math.min(CHUNK_ROWS, rows - start);
    const chunk = tf.tidy(() => {
      const input = tf.tensor2d(x.subarray(start * inputDim, (start + m) * inputDim), [m, inputDim]);
      return model.predict(input, { batchSize: PREDICT_BATCH }) as tf.Tensor;
    });
    out.set(chunk.dataSync() as Float32Array, start * outputs);
    chunk.dispose();
  }
  return out;
}

/** The most probable class index per row. */
export function argmax(probabilities: Float32Array, classes: number): Int32Array {
  const rows = probabilities.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (probabilities[r * classes + c]! > probabilities[r * classes + best]!) best = c;
    out[r] = best;
  }
  return out;
}
