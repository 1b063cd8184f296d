import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { fsError } from "../../errors.js";
import type { Locator } from "./types.js";

export const fileLocator: Locator = {
  kind: "file",
  async locate(location, options) {
    const path = options.cwd && !isAbsolute(location) ? resolve(options.cwd, location) : location;
    const found = await stat(path).catch((error: unknown) => Promise.reject(fsError(error, location)));
    if (found.isDirectory()) throw fsError(Object.assign(new Error("EISDIR"), { code: "EISDIR" }), location);
    return [{ path, name: options.displayName ?? location }];
  },
};
