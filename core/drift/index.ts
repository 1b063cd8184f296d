import type { ReadOptions } from "../data/types.js";
import type { Logger } from "../ports.js";
import { type CompareOptions, compareProfiles } from "./compare.js";
import { loadSide } from "./load.js";
import type { DriftResult } from "./schema.js";

export {
  autoMethod,
  type CompareOptions,
  compareColumn,
  compareProfiles,
  SMALL_REFERENCE,
} from "./compare.js";
export { effectSize, MIN_EFFECT } from "./effect.js";
export { EXACT_LIMIT } from "./exact.js";
export { isProfileFile, loadSide, readProfileFile, type Side } from "./load.js";
export { driftMethods } from "./methods/index.js";
export { kolmogorovSf, ksPValue } from "./numeric.js";
export * from "./schema.js";
export type { ColumnView, DriftMethod } from "./view.js";

export interface DetectDriftOptions extends Omit<CompareOptions, "sorted"> {
  cwd: string;
  read?: ReadOptions;
  logger: Logger;
}

/**
 * Drift of `current` against `reference`; each is a data location (file, glob, URL) or a stored
 * profile (.json). Raw data is profiled first (one pass, mergeable), keeping exact values where cheap.
 */
export async function detectDrift(
  reference: string,
  current: string,
  options: DetectDriftOptions,
): Promise<DriftResult> {
  const read = { cwd: options.cwd, read: options.read };
  // One after the other: both run on this thread anyway, and one reader at a time keeps memory low.
  const ref = await options.logger.group(`profile ${reference}`, () => loadSide(reference, read));
  const cur = await options.logger.group(`profile ${current}`, () => loadSide(current, read));
  options.logger.info(
    `reference ${ref.name}: ${ref.profile.rows} rows; current ${cur.name}: ${cur.profile.rows} rows`,
  );
  return compareProfiles(ref.profile, cur.profile, {
    ...options,
    sorted: { reference: ref.sorted, current: cur.sorted },
  });
}
export { LogRecord, type PredictionLog, readPredictionLog } from "./log.js";
export { detectModelDrift, type ModelDriftOptions, readBaselineMetrics, readManifest } from "./model.js";
export { type LiveMetricsOptions, liveMetrics } from "./performance.js";
export { renderDriftMarkdown, verdictLine } from "./render.js";
