import type { LoadedConfig } from "../../core/config/index.js";

/** The champion to compare against: the registry's `champion` alias (wired when the registry lands). */
export async function championFor(
  _loaded: LoadedConfig,
  _cwd: string,
): Promise<{ dir: string; label: string | number } | undefined> {
  return undefined;
}
