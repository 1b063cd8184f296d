import { UserError } from "../errors.js";
import { AliasIndex, AliasName } from "./schema.js";

/** The version a ref names: `3`, `v3` or an alias. Unknown refs name what exists instead. */
export function resolveRef(
  name: string,
  ref: string,
  versions: number[],
  aliases: Record<string, number>,
): number {
  const numeric = /^v?(\d+)$/.exec(ref);
  if (numeric) {
    const version = Number(numeric[1]);
    if (versions.includes(version)) return version;
    throw new UserError(
      `model '${name}' has no version ${ref}; versions: ${listOr(versions.map((v) => `v${v}`))}`,
      {
        field: "version",
      },
    );
  }
  const target = aliases[ref];
  if (target !== undefined) return target;
  throw new UserError(
    `model '${name}' has no alias '${ref}'; aliases: ${listOr(Object.keys(aliases).sort())}; versions: ${listOr(versions.map((v) => `v${v}`))}`,
    { field: "alias" },
  );
}

export function checkAliasName(alias: string): string {
  const parsed = AliasName.safeParse(alias);
  // `v3` would be read as a version number by every ref lookup, so it can never be an alias.
  if (!parsed.success || /^v\d+$/.test(alias)) {
    throw new UserError(`'${alias}' is not an alias name: expected lower-case letters, digits and '-'`, {
      field: "alias",
    });
  }
  return parsed.data;
}

export function setAliasIn(
  index: AliasIndex,
  change: {
    name: string;
    alias: string;
    version: number;
    versions: number[];
    at: string;
    by?: string;
    reason?: string;
  },
): AliasIndex {
  const alias = checkAliasName(change.alias);
  if (!change.versions.includes(change.version)) {
    throw new UserError(
      `model '${change.name}' has no version v${change.version}; versions: ${listOr(change.versions.map((v) => `v${v}`))}`,
      { field: "version" },
    );
  }
  const previous = index.aliases[alias];
  const event = AliasIndex.shape.history.element.parse({
    alias,
    action: "set",
    version: change.version,
    previous,
    at: change.at,
    by: change.by,
    reason: change.reason,
  });
  return { aliases: { ...index.aliases, [alias]: change.version }, history: [...index.history, event] };
}

/**
 * Moves the alias back to the target it had before its current one. Repeated rollbacks keep walking
 * back (a rollback undoes a set, it is not itself undone by the next rollback).
 */
export function rollbackIn(
  index: AliasIndex,
  change: { name: string; alias: string; at: string; by?: string; reason?: string },
): { index: AliasIndex; version: number } {
  const current = index.aliases[change.alias];
  if (current === undefined) {
    throw new UserError(
      `model '${change.name}' has no alias '${change.alias}'; aliases: ${listOr(Object.keys(index.aliases).sort())}`,
      { field: "alias" },
    );
  }
  const stack = targetStack(index, change.alias);
  const version = stack.at(-2);
  if (version === undefined) {
    throw new UserError(
      `alias '${change.alias}' of model '${change.name}' has no earlier version to roll back to`,
      {
        field: "alias",
      },
    );
  }
  const event = AliasIndex.shape.history.element.parse({
    alias: change.alias,
    action: "rollback",
    version,
    previous: current,
    at: change.at,
    by: change.by,
    reason: change.reason,
  });
  return {
    index: { aliases: { ...index.aliases, [change.alias]: version }, history: [...index.history, event] },
    version,
  };
}

function targetStack(index: AliasIndex, alias: string): number[] {
  const stack: number[] = [];
  for (const event of index.history) {
    if (event.alias !== alias) continue;
    if (event.action === "rollback") stack.pop();
    else if (stack.at(-1) !== event.version) stack.push(event.version);
  }
  return stack;
}

function listOr(items: string[]): string {
  return items.length > 0 ? items.join(", ") : "(none)";
}
