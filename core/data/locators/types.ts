import type { LocationKind } from "../location.js";
import type { LocalFile } from "../readers/types.js";
import type { ReadOptions } from "../types.js";

/** Turns one kind of location into local files the readers open (downloading when it must). */
export interface Locator {
  readonly kind: LocationKind;
  locate(text: string, options: ReadOptions): Promise<LocalFile[]>;
}
