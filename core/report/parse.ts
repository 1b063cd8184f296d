import type { z } from "zod";
import { UserError } from "../errors.js";
import { REPORT_LIMITS, Report } from "./schema.js";

/**
 * Checks a parsed report.json. The error names the dotted field (`gates.0.rule`), what was found
 * and what was expected; exit 2 because a malformed report is bad input, not a failed check.
 */
export function parseReport(json: unknown, file?: string): Report {
  // reportInput: so the message can say what was found, not only what was expected.
  const result = Report.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".") || "(top level)";
  const more = result.error.issues.length - 1;
  const suffix = more > 0 ? ` (and ${more} more problem${more > 1 ? "s" : ""})` : "";
  throw new UserError(`invalid report: ${describeIssue(issue)}${suffix}`, { file, field }, 2);
}

/** Reads report.json text, refusing oversized input before JSON.parse allocates it. */
export function parseReportText(text: string, file?: string): Report {
  if (text.length > REPORT_LIMITS.bytes) {
    throw new UserError(`report is ${text.length} bytes, more than the ${REPORT_LIMITS.bytes} allowed`, {
      file,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`report is not valid JSON: ${message}`, { file });
  }
  return parseReport(json, file);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}${"input" in issue ? `, found ${typeName(issue.input)}` : ""}`;
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}${"input" in issue ? `, found ${typeName(issue.input)}` : ""}`;
    case "too_big":
      return issue.origin === "string"
        ? `longer than ${issue.maximum} characters`
        : issue.origin === "array"
          ? `more than ${issue.maximum} items`
          : issue.message;
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1 ? "must not be empty" : issue.message;
    default:
      return issue.message;
  }
}

function typeName(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  const shown = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`;
}
