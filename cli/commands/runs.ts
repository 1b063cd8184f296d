import { markdownTable } from "markdown-table";
import { ExitCode, UserError } from "../../core/errors.js";
import { RunStore } from "../../core/tracking/index.js";
import type { RunRecord } from "../../core/tracking/schema.js";
import { intFlag, printJson, projectConfig, requirePositional, stringFlag } from "../common.js";
import type { Command } from "../context.js";
import { storeRoot } from "./model.js";

const fmt = (v: unknown) =>
  typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : (JSON.stringify(v) ?? "");

export const runsCommand: Command = {
  name: "runs",
  summary: "tracked runs: runs list | runs show ID | runs compare ID ID...",
  usage: "runs list [--kind train|evaluate|trial] [--limit N] | runs show ID | runs compare ID ID...",
  details: ["IDs may be abbreviated to any unique prefix or suffix."],
  flags: { kind: { type: "string" }, limit: { type: "string" } },
  async run(positionals, flags, ctx) {
    const loaded = (await projectConfig(ctx, true))!;
    const store = new RunStore(storeRoot(loaded));
    const [sub, ...ids] = positionals;
    if (sub === "list" || sub === undefined) {
      const kind = stringFlag(flags, "kind");
      const runs = (await store.list()).filter((r) => !kind || r.kind === kind);
      const shown = runs.slice(-(intFlag(flags, "limit", { fallback: 50 }) ?? 50));
      if (ctx.json) printJson(ctx, shown);
      else ctx.io.stdout.write(`${listTable(shown)}\n`);
      return ExitCode.ok;
    }
    if (sub === "show") {
      const run = await store.get(requirePositional(ids, 0, "ID"));
      printJson(ctx, run);
      return ExitCode.ok;
    }
    if (sub === "compare") {
      if (ids.length < 2) throw new UserError("compare needs two run ids or more", { field: "--" });
      const runs = await Promise.all(ids.map((id) => store.get(id)));
      if (ctx.json) printJson(ctx, compareRows(runs));
      else ctx.io.stdout.write(`${compareTable(runs)}\n`);
      return ExitCode.ok;
    }
    throw new UserError(`expected list, show or compare, found '${sub}'`, { field: "--" });
  },
};

function listTable(runs: RunRecord[]): string {
  if (runs.length === 0) return "no runs yet: 'modelgate train' records one";
  return markdownTable([
    ["id", "kind", "name", "started", "backend", "duration", "metrics"],
    ...runs.map((r) => [
      r.id,
      r.kind,
      r.name,
      r.startedAt.slice(0, 19).replace("T", " "),
      r.backend ?? "",
      r.durationMs === undefined ? "" : `${(r.durationMs / 1000).toFixed(1)}s`,
      Object.entries(r.metrics)
        .slice(0, 4)
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(" "),
    ]),
  ]);
}

/** One row per param or metric; only the rows where the runs differ, plus the metrics. */
export function compareRows(runs: RunRecord[]): Array<{ key: string; values: unknown[] }> {
  const keys = new Set<string>();
  for (const run of runs) {
    for (const key of Object.keys(run.params)) keys.add(`params.${key}`);
    for (const key of Object.keys(run.metrics)) keys.add(`metrics.${key}`);
  }
  const value = (run: RunRecord, key: string) => {
    const [group, name] = key.split(/\.(.*)/s) as [string, string];
    return group === "params" ? run.params[name] : run.metrics[name];
  };
  return [...keys]
    .map((key) => ({ key, values: runs.map((run) => value(run, key)) }))
    .filter(
      (row) => row.key.startsWith("metrics.") || new Set(row.values.map((v) => JSON.stringify(v))).size > 1,
    );
}

function compareTable(runs: RunRecord[]): string {
  return markdownTable([
    ["", ...runs.map((r) => r.id)],
    ...compareRows(runs).map((row) => [row.key, ...row.values.map(fmt)]),
  ]);
}
