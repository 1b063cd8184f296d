import path from "node:path";
import { isDynamicPattern } from "tinyglobby";

/**
 * Where data lives, parsed once: every door and core module asks this instead of matching URLs
 * itself. A new kind of source (S3, a database table) is a scheme here and a locator in locators/.
 */
export type Location =
  | { kind: "http"; url: string }
  | { kind: "glob"; pattern: string }
  | { kind: "file"; path: string };

export type LocationKind = Location["kind"];

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

export function parseLocation(text: string): Location {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https") return { kind: "http", url: text };
  if (isDynamicPattern(text)) return { kind: "glob", pattern: text };
  return { kind: "file", path: text };
}

/** Whether a location is remote (a URL): it is never joined to a folder or made relative. */
export function isRemote(text: string): boolean {
  return parseLocation(text).kind === "http";
}

/** A location resolved against a folder (config root, working directory); URLs stay as they are. */
export function resolveLocation(root: string, text: string): string {
  return isRemote(text) || path.isAbsolute(text) ? text : path.join(root, text);
}

/** A location as reports show it: relative to `cwd` when local, the URL otherwise. */
export function displayLocation(cwd: string, resolved: string): string {
  return isRemote(resolved) ? resolved : path.relative(cwd, resolved) || ".";
}
