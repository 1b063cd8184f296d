import type { ModelVersion } from "./schema.js";

/** Aliases by version, for showing `champion, challenger` beside each row. */
export function aliasesByVersion(aliases: Record<string, number>): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [alias, version] of Object.entries(aliases).sort())
    out.set(version, [...(out.get(version) ?? []), alias]);
  return out;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

// Training bookkeeping, shown only when a version has no evaluation metrics.
const TRAINING_METRICS = new Set(["loss", "val_loss", "epochs", "best_epoch"]);

function metricsSummary(metrics: Record<string, number>, max = 3): string {
  const all = Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : 1));
  const evaluated = all.filter(([name]) => !TRAINING_METRICS.has(name));
  if (all.length > 0 && evaluated.length === 0) return "not evaluated";
  const entries = evaluated;
  const shown = entries.slice(0, max).map(([k, v]) => `${k}=${formatMetric(v)}`);
  return entries.length > max ? `${shown.join(" ")} …` : shown.join(" ");
}

/** A fingerprint short enough for a table column: enough to tell two test sets apart. */
export function shortFingerprint(fingerprint: string | undefined): string {
  return fingerprint ? fingerprint.replace(/^sha256:/, "").slice(0, 12) : "-";
}

/** `registry list`: one row per version. */
export function renderVersionTable(
  versions: ModelVersion[],
  aliases: Map<string, Record<string, number>>,
): string {
  if (versions.length === 0) return "no model versions registered yet; see 'modelgate registry register'\n";
  const rows = versions.map((v) => [
    v.name,
    `v${v.version}`,
    (aliasesByVersion(aliases.get(v.name) ?? {}).get(v.version) ?? []).join(", "),
    v.createdAt.replace(/\.\d+Z$/, "Z"),
    shortFingerprint(v.dataFingerprints?.test),
    metricsSummary(v.metrics),
  ]);
  return `${table(["NAME", "VERSION", "ALIASES", "CREATED", "TEST DATA", "METRICS"], rows)}\n`;
}

/** `registry show`: one version's lineage, metrics and files. */
export function renderVersion(version: ModelVersion, aliases: Record<string, number>): string {
  const fields: [string, string | undefined][] = [
    ["aliases", aliasesByVersion(aliases).get(version.version)?.join(", ")],
    ["created", version.createdAt],
    ["run", version.runId],
    ["commit", version.commit],
    ["train data", version.dataFingerprints?.train],
    ["test data", version.dataFingerprints?.test],
    ["config hash", version.configHash],
    ["source", version.source],
  ];
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== "");
  const metrics = Object.entries(version.metrics).map(([k, v]) => [k, formatMetric(v)]);
  const files = version.files.map((f) => [f.path, String(f.size), f.sha256.slice(0, 16)]);
  return [
    `${version.name} v${version.version}`,
    ...shown.map(([k, v]) => `  ${`${k}:`.padEnd(13)}${v}`),
    "",
    metrics.length > 0 ? table(["METRIC", "VALUE"], metrics) : "no metrics recorded",
    "",
    table(["FILE", "BYTES", "SHA256"], files),
    "",
  ].join("\n");
}
