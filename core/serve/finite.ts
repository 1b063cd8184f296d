import { featureAt, type Prediction, type Preprocessor } from "../model/index.js";
import { HttpError } from "./http.js";
import type { FieldOf, Row } from "./rows.js";

/**
 * A value that encodes to a non-finite input (1e300 overflows 32-bit floats once scaled) would come
 * back as a NaN prediction: refuse it with 422 naming the cell, before the model runs.
 */
export function checkFiniteInputs(prep: Preprocessor, x: Float32Array, rows: Row[], fieldOf: FieldOf): void {
  const width = x.length / Math.max(rows.length, 1);
  for (let i = 0; i < x.length; i++) {
    if (x[i]! - x[i]! === 0) continue;
    const row = Math.floor(i / width);
    const feature = featureAt(prep, i - row * width);
    const value = JSON.stringify(rows[row]?.[feature.name])?.slice(0, 40);
    throw new HttpError(
      422,
      `${fieldOf(row, feature.name)}: ${value} is outside the range this model computes with ` +
        "(it overflows 32-bit floats once scaled); no prediction for this row",
    );
  }
}

/** A prediction that is not a finite number is never sent as null: 422 naming the row. */
export function checkFinitePrediction(prediction: Prediction, fieldOf: FieldOf): void {
  const values = prediction.task === "classification" ? prediction.probabilities : prediction.values;
  const width = prediction.task === "classification" ? prediction.classes.length : 1;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! - values[i]! === 0) continue;
    const row = Math.floor(i / width);
    throw new HttpError(
      422,
      `${fieldOf(row)}: the model's prediction for this row is ${values[i]}, not a finite number ` +
        "(its weights may have diverged); no prediction for this row",
    );
  }
}
