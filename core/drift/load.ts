import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { openData } from "../data/readers/index.js";
import type { ReadOptions } from "../data/types.js";
import { fsError, UserError } from "../errors.js";
import {
  alignedBatches,
  type DatasetProfile,
  ProfileBuilder,
  parseProfile,
  unionColumns,
} from "../profile/index.js";
import { ExactValues } from "./exact.js";

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

/** A stored profile (.json, from `modelgate profile --out` or beside a trained model) or data to profile. */
export async function loadSide(
  location: string,
  options: { cwd: string; read?: ReadOptions },
): Promise<Side> {
  if (isProfileFile(location)) {
    return { name: location, profile: await readProfileFile(location, options.cwd), from: "profile" };
  }
  const sources = await openData(location, { ...options.read, cwd: options.cwd });
  const columns = unionColumns(sources);
  const builder = new ProfileBuilder(columns);
  const exact = new ExactValues(columns);
  for (const source of sources) {
    for await (const batch of alignedBatches(source, columns)) {
      builder.add(batch);
      exact.add(batch);
    }
  }
  return { name: location, profile: builder.finish(), sorted: exact.finish(), from: "data" };
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
