import type { ReadOptions } from "../data/types.js";
import type { Logger } from "../ports.js";
import { RANGE_WORKER } from "../scan/profile-data.js";
import { WorkerPool } from "../scan/workers.js";
import { type CompareOptions, compareProfiles } from "./compare.js";
import { hintsFromProfile } from "./hints.js";
import { loadSide, type Side } from "./load.js";
import type { DriftResult } from "./schema.js";

export { EXACT_LIMIT } from "../scan/exact.js";
export {
  autoMethod,
  type CompareOptions,
  compareColumn,
  compareProfiles,
  SMALL_REFERENCE,
} from "./compare.js";
export { effectSize, robustScale } from "./effect.js";
export { guessHints, hintsFromProfile } from "./hints.js";
export { isProfileFile, type LoadSideOptions, loadSide, readProfileFile, type Side } from "./load.js";
export { driftMethod, driftMethods } from "./methods/index.js";
export { kolmogorovSf, ksPValue } from "./numeric.js";
export * from "./schema.js";
export type { ColumnView, DriftMethod } from "./view.js";

export interface DetectDriftOptions extends Omit<CompareOptions, "sorted"> {
  cwd: string;
  read?: ReadOptions;
  /** Threads for a large local CSV (default: one per core). */
  workers?: number;
  /** The cell texts read as missing (`data.missing`); default: the shared list. */
  missing?: readonly string[];
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
  const [ref, cur] = await loadSides(reference, current, options);
  options.logger.info(
    `reference ${ref.name}: ${ref.profile.rows} rows; current ${cur.name}: ${cur.profile.rows} rows`,
  );
  return compareProfiles(ref.profile, cur.profile, {
    ...options,
    sorted: { reference: ref.sorted, current: cur.sorted },
  });
}

/**
 * One side after the other: each already keeps every core busy, and one at a time keeps memory low.
 * One pool of worker threads serves both, so they start once.
 */
async function loadSides(
  reference: string,
  current: string,
  options: DetectDriftOptions,
): Promise<[Side, Side]> {
  const pool = new WorkerPool(RANGE_WORKER);
  const { cwd, read, workers, missing, logger } = options;
  try {
    const ref = await logger.group(`profile ${reference}`, () =>
      loadSide(reference, { cwd, read, workers, missing, pool, logger }),
    );
    // A stored reference knows the columns' kinds: the current data need not be sampled for them.
    const hints = ref.from === "profile" ? hintsFromProfile(ref.profile) : undefined;
    const cur = await logger.group(`profile ${current}`, () =>
      loadSide(current, { cwd, read, workers, missing, pool, logger, hints }),
    );
    return [ref, cur];
  } finally {
    await pool.close();
  }
}

export { LogRecord, type PredictionLog, readPredictionLog } from "./log.js";
export { detectModelDrift, type ModelDriftOptions, readBaselineMetrics, readManifest } from "./model.js";
export { type LiveMetricsOptions, liveMetrics } from "./performance.js";
export { renderDriftMarkdown, verdictLine } from "./render.js";
