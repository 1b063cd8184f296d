import { markdownTable } from "markdown-table";
import type { ColumnChange, DataDiff } from "./schema.js";

/** The diff for a pull-request comment or a terminal. */
export function renderDiffMarkdown(diff: DataDiff): string {
  const out = ["## Data diff", "", rowsLine(diff)];
  const warning = duplicateIdWarning(diff);
  if (warning) out.push("", `> [!WARNING]\n> ${warning}`);
  const { added, removed } = diff.columns;
  if (added.length > 0 || removed.length > 0) {
    out.push(
      "",
      `**Columns**: ${[listed("added", added), listed("removed", removed)].filter(Boolean).join("; ")}.`,
    );
  }
  if (diff.byId) out.push(...byIdSection(diff.byId));
  const numeric = diff.distributions.filter((c) => c.numeric);
  if (numeric.length > 0) out.push("", "### Numeric columns", "", numericTable(numeric));
  const dated = diff.distributions.filter((c) => c.datetime);
  if (dated.length > 0) out.push("", "### Date columns", "", dateTable(dated));
  const categorical = diff.distributions.filter((c) => c.categorical);
  if (categorical.length > 0) out.push("", "### Categorical columns", "", categoricalTable(categorical));
  const kinds = diff.distributions.filter((c) => c.kind.old !== c.kind.new);
  if (kinds.length > 0) {
    out.push(
      "",
      `**Kind changed**: ${kinds.map((c) => `${code(c.column)} ${c.kind.old} → ${c.kind.new}`).join(", ")}.`,
    );
  }
  return `${out.join("\n")}\n`;
}

function rowsLine(diff: DataDiff): string {
  const counts = `**Rows**: ${diff.rows.old} → ${diff.rows.new}`;
  if (diff.byId) {
    const r = diff.byId;
    return `${counts} (by ${code(r.id)}: ${r.added} added, ${r.removed} removed, ${r.changed} changed, ${r.unchanged} unchanged).`;
  }
  if (diff.byContent) {
    const r = diff.byContent;
    return `${counts} (whole rows: ${r.added} added, ${r.removed} removed, ${r.unchanged} unchanged).`;
  }
  return `${counts}.`;
}

function byIdSection(r: NonNullable<DataDiff["byId"]>): string[] {
  const out: string[] = [];
  if (r.examples.changed.length > 0) {
    const rows = r.examples.changed.map((c) => [code(c.id), c.columns.map(code).join(", ")]);
    out.push(
      "",
      `Changed rows (first ${rows.length}):`,
      "",
      markdownTable([[code(r.id), "changed columns"], ...rows]),
    );
  }
  if (r.examples.added.length > 0) out.push("", `Added: ${r.examples.added.map(code).join(", ")}`);
  if (r.examples.removed.length > 0) out.push("", `Removed: ${r.examples.removed.map(code).join(", ")}`);
  const dup = r.duplicates;
  if (dup.old + dup.new > 0) {
    out.push(
      "",
      `**Duplicate ids**: ${dup.old} in old, ${dup.new} in new (${dup.examples.map(code).join(", ")}).`,
    );
  }
  const missing = r.missingIds;
  if (missing.old + missing.new > 0)
    out.push("", `Rows without an id: ${missing.old} old, ${missing.new} new.`);
  return out;
}

function numericTable(columns: ColumnChange[]): string {
  const sorted = [...columns].sort((a, b) => rank(b) - rank(a));
  const rows = sorted.map((c) => {
    const n = c.numeric!;
    const median = n.quantiles.find((q) => q.q === 0.5);
    return [
      code(c.column),
      arrow(n.mean.old, n.mean.new),
      arrow(n.std.old, n.std.new),
      median ? arrow(median.old, median.new) : "",
      num(n.wasserstein),
      n.normalizedWasserstein === null ? "n/a" : num(n.normalizedWasserstein),
      arrow(c.missing.old, c.missing.new, percent),
    ];
  });
  const header = ["column", "mean", "std", "median", "Wasserstein", "÷ old std", "missing"];
  return markdownTable([header, ...rows], { align: ["l", "r", "r", "r", "r", "r", "r"] });
}

function categoricalTable(columns: ColumnChange[]): string {
  const rows = columns.map((c) => {
    const k = c.categorical!;
    if (k.truncated) return [code(c.column), "too many values to compare", "", "", ""];
    const top = k.shareChanges[0];
    return [
      code(c.column),
      k.added.map((v) => code(v.value)).join(", "),
      k.removed.map((v) => code(v.value)).join(", "),
      top ? `${code(top.value)} ${arrow(top.old, top.new, percent)}` : "",
      arrow(c.missing.old, c.missing.new, percent),
    ];
  });
  return markdownTable([
    ["column", "new values", "vanished values", "largest share change", "missing"],
    ...rows,
  ]);
}

/** Columns with the largest shift first; an undefined normalised distance is the largest. */
function rank(c: ColumnChange): number {
  const n = c.numeric!.normalizedWasserstein;
  return n === null ? Number.POSITIVE_INFINITY : n;
}

function listed(label: string, names: string[]): string {
  return names.length > 0 ? `${label} ${names.map(code).join(", ")}` : "";
}

function arrow(old: number, now: number, format = num): string {
  return old === now ? format(old) : `${format(old)} → ${format(now)}`;
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Data values are untrusted text: one line, no backticks or pipes to break out of the code span or table. */
function code(value: string): string {
  const clean = value.replace(/[`|\r\n]/g, " ");
  return `\`${clean.length > 60 ? `${clean.slice(0, 57)}...` : clean}\``;
}

/** Said when the id does not key rows: counts by id then compare only each id's first row. */
export function duplicateIdWarning(diff: DataDiff): string | undefined {
  const r = diff.byId;
  if (!r || r.duplicates.old + r.duplicates.new === 0) return undefined;
  const examples = r.duplicates.examples
    .slice(0, 5)
    .map((id) => `'${id}'`)
    .join(", ");
  return (
    `id column '${r.id}' is not unique: ${r.duplicates.old} repeated ids in old, ${r.duplicates.new} in new ` +
    `(e.g. ${examples}); only the first row of each id was compared, so the row counts are not to be trusted. ` +
    "Key rows by a unique column, or leave out the id to compare whole rows."
  );
}

function dateTable(columns: ColumnChange[]): string {
  const day = (iso: string) => iso.replace(/T00:00:00\.000Z$/, "").replace(/\.000Z$/, "Z");
  const rows = columns.map((c) => {
    const d = c.datetime!;
    const median = d.quantiles.find((q) => q.q === 0.5);
    return [
      code(c.column),
      `${day(d.min.old)} – ${day(d.max.old)}`,
      `${day(d.min.new)} – ${day(d.max.new)}`,
      median ? `${day(median.old)} → ${day(median.new)}` : "",
      `${Number(d.meanShiftDays.toPrecision(4))} days`,
      d.unparsed.old + d.unparsed.new > 0 ? `${d.unparsed.old} / ${d.unparsed.new}` : "",
    ];
  });
  return markdownTable([
    ["column", "old range", "new range", "median", "mean shift", "not dates (old / new)"],
    ...rows,
  ]);
}
