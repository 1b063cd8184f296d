import type { z } from "zod";
import { type Location, UserError } from "./errors.js";

/** Where a value came from: `what` starts the message; `field` is the dotted path the issue's path extends. */
export interface Where extends Location {
  what: string;
  /** The raw text the user wrote, shown as `(got '...')` after a message that does not say what it found. */
  got?: string;
}

/**
 * Parses a value with a zod schema, or throws a UserError naming the field: the one way a zod issue
 * becomes a message (`parseYamlWith` adds the YAML line and column to the same description).
 */
export function parseAt<S extends z.ZodType>(schema: S, value: unknown, where: Where): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const { what, got, ...location } = where;
  const field = [location.field, ...issue.path.map(String)].filter(Boolean).join(".") || undefined;
  // A type or option mismatch already says what was found.
  const saysFound = "input" in issue && (issue.code === "invalid_type" || issue.code === "invalid_value");
  const shown = got === undefined || saysFound ? "" : ` (got '${got}')`;
  throw new UserError(`${what}: ${describeIssue(issue)}${shown}`, { ...location, field });
}

/** What a zod issue says, in the words the config errors use: what was found and what was expected. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const found = "input" in issue ? `, found ${typeName(issue.input)}` : "";
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    case "invalid_type":
      return `expected ${issue.expected}${found}`;
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}${found}`;
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1 ? "must not be empty" : issue.message;
    default:
      return issue.message;
  }
}

/** The found value, short: a long string is cut at 40 characters. */
export function typeName(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const shown = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`;
}
