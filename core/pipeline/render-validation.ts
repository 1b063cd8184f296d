import { markdownTable } from "markdown-table";
import type { ValidationResult } from "../validate/schema.js";

type Issue = ValidationResult["errors"][number];

const MAX_LINES_SHOWN = 10;

function lineList(issue: Issue): string {
  const shown = issue.lines.slice(0, MAX_LINES_SHOWN).join(", ");
  const more = issue.count > Math.min(issue.lines.length, MAX_LINES_SHOWN) ? ", …" : "";
  return shown ? `${shown}${more}` : "";
}

/** Plain text for a terminal. */
export function renderValidationText(result: ValidationResult): string {
  const head = result.ok
    ? `✓ ${result.file}: valid (${result.rows} rows, ${result.columns} columns)`
    : `✗ ${result.file}: ${result.errors.reduce((n, e) => n + e.count, 0)} problems in ${result.rows} rows`;
  const describe = (kind: string) => (issue: Issue) => {
    const lines = lineList(issue);
    const where = issue.count > 1 ? ` (${issue.count}×${lines ? `; lines ${lines}` : ""})` : "";
    return `  ${kind} [${issue.check}] ${issue.message}${where}`;
  };
  return [
    head,
    ...result.errors.map(describe("error")),
    ...result.warnings.map(describe("warning")),
    `  fingerprint ${result.fingerprint}`,
    "",
  ].join("\n");
}

/** Markdown for a job summary or a pull-request comment: every problem, not just the ten annotations. */
export function renderValidationMarkdown(result: ValidationResult): string {
  const verdict = result.ok ? "✅ **Data valid**" : "❌ **Data invalid**";
  const rows: Array<[string, Issue]> = [
    ...result.errors.map((e): [string, Issue] => ["error", e]),
    ...result.warnings.map((w): [string, Issue] => ["warning", w]),
  ];
  const table =
    rows.length === 0
      ? ""
      : markdownTable([
          ["", "check", "column", "count", "lines", "message"],
          ...rows.map(([kind, issue]) => [
            kind === "error" ? "❌" : "⚠️",
            issue.check,
            escapeCell(issue.column ?? ""),
            String(issue.count),
            lineList(issue),
            escapeCell(issue.message),
          ]),
        ]);
  return [
    `### ${verdict}: \`${escapeCell(result.file)}\``,
    "",
    `${result.rows} rows, ${result.columns} columns · fingerprint \`${result.fingerprint.slice(0, 19)}…\``,
    "",
    table,
    "",
  ].join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}
