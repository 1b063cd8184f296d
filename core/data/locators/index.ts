import { type LocationKind, parseLocation } from "../location.js";
import type { LocalFile } from "../readers/types.js";
import type { ReadOptions } from "../types.js";
import { fileLocator } from "./file.js";
import { globLocator } from "./glob.js";
import { httpLocator } from "./http.js";
import type { Locator } from "./types.js";

export type { Locator } from "./types.js";

/** Every kind of location modelgate reads from. */
export const locators: ReadonlyMap<LocationKind, Locator> = new Map<LocationKind, Locator>(
  [fileLocator, globLocator, httpLocator].map((locator) => [locator.kind, locator]),
);

/** The local files a location stands for. */
export function locate(location: string, options: ReadOptions): Promise<LocalFile[]> {
  return locators.get(parseLocation(location).kind)!.locate(location, options);
}
