import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { ColumnHint, DataSource, ReadOptions } from "../data/types.js";
import { fsError, UserError } from "../errors.js";
import { type Logger, silentLogger } from "../ports.js";
import { type DatasetProfile, parseProfile } from "../profile/index.js";
import { profileData } from "../scan/profile-data.js";
import type { WorkerPool } from "../scan/workers.js";
import { guessHints } from "./hints.js";

/** A stored profile is JSON of a few hundred kB at most; anything far larger is not one. */
const MAX_PROFILE_BYTES = 256 * 1024 * 1024;

export interface Side {
  /** As given, for messages and the report. */
  name: string;
  profile: DatasetProfile;
  /** Exact sorted values per numeric column, when read raw and small enough. */
  sorted?: Map<string, Float64Array>;
  from: "data" | "profile";
}

export function isProfileFile(location: string): boolean {
  return path.extname(location).toLowerCase() === ".json";
}

export interface LoadSideOptions {
  cwd: string;
  read?: ReadOptions;
  /** How a local CSV's columns may be typed (speed only); default guessed from its first rows. */
  hints?: (source: DataSource) => ColumnHint[] | undefined;
  /** Threads for a large local CSV (default: one per core). */
  workers?: number;
  /** Worker threads shared with other reads (default: this read's own). */
  pool?: WorkerPool;
  /** The cell texts read as missing (`data.missing`); default: the shared list. */
  missing?: readonly string[];
  logger?: Logger;
}

/** A stored profile (.json, from `modelgate profile --out` or beside a trained model) or data to profile. */
export async function loadSide(location: string, options: LoadSideOptions): Promise<Side> {
  if (isProfileFile(location)) {
    const profile = await readProfileFile(location, options.cwd);
    const older = Object.entries(profile.columns)
      .filter(([, column]) => column.numeric && !column.numeric.grid)
      .map(([name]) => name);
    if (older.length > 0) {
      options.logger?.warning(
        `${location} was written before profiles kept an equal-width grid: ${older.join(", ")} ` +
          "compared on the quantile sketch alone, which loses shifts small next to the values (epoch seconds, " +
          "years); profile the data again (modelgate profile --out, or retrain) to keep them",
      );
    }
    return { name: location, profile, from: "profile" };
  }
  const data = await profileData(location, {
    cwd: options.cwd,
    read: options.read,
    jobs: { exact: true, ...(options.missing && { missing: [...options.missing] }) },
    hints: options.hints ?? guessHints,
    workers: options.workers,
    pool: options.pool,
    logger: options.logger ?? silentLogger,
  });
  return { name: location, profile: data.profile.finish(), sorted: data.exact!.finish(), from: "data" };
}

export async function readProfileFile(location: string, cwd: string): Promise<DatasetProfile> {
  const file = path.resolve(cwd, location);
  try {
    const info = await stat(file);
    if (info.size > MAX_PROFILE_BYTES) {
      throw new UserError(`file is ${info.size} bytes; a profile is far smaller`, { file: location });
    }
    return parseProfile(await readFile(file, "utf8"), location);
  } catch (error) {
    throw error instanceof UserError ? error : fsError(error, location);
  }
}
