import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { glob } from "tinyglobby";
import { UserError } from "../../errors.js";
import { fileLocator } from "./file.js";
import type { Locator } from "./types.js";

/** Matches sorted; a file whose name merely looks like a pattern (`data[1].csv`) is that file. */
export const globLocator: Locator = {
  kind: "glob",
  async locate(pattern, options) {
    const literal = options.cwd && !isAbsolute(pattern) ? resolve(options.cwd, pattern) : pattern;
    if (
      await stat(literal).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return fileLocator.locate(pattern, options);
    const absolute = isAbsolute(pattern);
    const matches = await glob(pattern, {
      cwd: options.cwd,
      onlyFiles: true,
      absolute,
      expandDirectories: false,
    });
    if (matches.length === 0)
      throw new UserError("no files match this glob; expected at least one", { file: pattern });
    return matches.sort().map((match) => ({
      path: options.cwd && !isAbsolute(match) ? resolve(options.cwd, match) : match,
      name: match,
    }));
  },
};
