import { UserError } from "../errors.js";
import type { ColumnProfile, DatasetProfile } from "../profile/index.js";
import { chartOf } from "./chart.js";
import { effectSize } from "./effect.js";
import { driftMethod } from "./methods/index.js";
import type { DriftColumn, DriftMethodName, DriftResult, MethodName, SideStats } from "./schema.js";
import type { ColumnKind, ColumnView, DriftMethod } from "./view.js";
import { choosePoints, columnView, comparedAs, unionDistinct } from "./views.js";

export interface CompareOptions {
  /** Default auto: Evidently's choice by reference size, column kind and distinct values. */
  method?: DriftMethodName;
  /** Dataset drift when at least this share of the tested columns drifted (default 0.5). */
  threshold?: number;
  /** Per-column threshold instead of the method's default (p-value or distance). */
  columnThreshold?: number;
  /**
   * Opt-in: a significant test only counts as drift with an effect at least this large (see effect.ts).
   * Default none, as Evidently: significance alone decides.
   */
  minEffect?: number;
  /** Only these columns (default: every reference column); a name in neither side is an error. */
  columns?: string[];
  /** How the door calls the columns option, for messages (default "columns"). */
  columnsField?: string;
  /** Fewer current rows than this is "nothing to compare" (default 1: empty current data). */
  minRows?: number;
  /** Never compared (the target, the id). */
  exclude?: string[];
  /** Exact sorted finite values per column, where reading raw data kept them. */
  sorted?: { reference?: Map<string, Float64Array>; current?: Map<string, Float64Array> };
}

/** Evidently's cut between "small" data (tests) and "large" data (distances). */
export const SMALL_REFERENCE = 1000;
const UNSEEN_LISTED = 10;

/**
 * Evidently's default test for a column, as its calculations/stattests/registry.py _get_default_stattest
 * (read at evidentlyai/evidently 0d4ec0f): thresholds 0.05 for tests, 0.1 for distances (the methods').
 */
export function autoMethod(
  as: "numeric" | "categorical",
  referenceSize: number,
  distinct: number,
): MethodName {
  if (referenceSize <= SMALL_REFERENCE) {
    if (as === "numeric" && distinct > 5) return "ks";
    return distinct > 2 ? "chisquare" : "z";
  }
  return as === "numeric" && distinct > 5 ? "wasserstein" : "jensenshannon";
}

/** Column-by-column drift of `current` against `reference`, then the dataset verdict. */
export function compareProfiles(
  reference: DatasetProfile,
  current: DatasetProfile,
  options: CompareOptions = {},
): DriftResult {
  const method = options.method ?? "auto";
  const threshold = options.threshold ?? 0.5;
  const excluded = new Set(options.exclude ?? []);
  if (options.columns) unknownColumns(options.columns, reference, current, options.columnsField);
  const minRows = options.minRows ?? 1;
  if (current.rows < minRows) {
    throw nothingToCompare(
      current.rows === 0
        ? "the current data has no rows"
        : `the current data has ${current.rows} rows, fewer than the minimum of ${minRows} (drift.minRows)`,
    );
  }
  const wanted = (options.columns ?? Object.keys(reference.columns)).filter((c) => !excluded.has(c));
  if (!wanted.some((c) => c in current.columns)) {
    throw nothingToCompare(
      `no column of the reference is in the current data (reference: ${list(wanted)}; current: ${list(Object.keys(current.columns))})`,
    );
  }
  const missingColumns = wanted.filter((c) => !(c in current.columns));
  const newColumns = Object.keys(current.columns).filter(
    (c) => !(c in reference.columns) && !excluded.has(c),
  );
  const columns: DriftColumn[] = [];
  const skipped: DriftResult["skipped"] = [];
  for (const name of wanted) {
    const ref = reference.columns[name];
    const cur = current.columns[name];
    if (!ref) {
      skipped.push({ column: name, reason: "not in the reference" });
      continue;
    }
    if (!cur) continue;
    const outcome = compareColumn(name, ref, cur, method, options);
    if ("skip" in outcome) skipped.push({ column: name, reason: outcome.skip });
    else columns.push(outcome);
  }
  if (columns.length === 0) {
    const why = skipped.map((s) => `${s.column}: ${s.reason}`).join("; ");
    throw nothingToCompare(`no column could be compared (${why || "none shared"})`);
  }
  const drifted = columns.filter((c) => c.drift).length;
  const share = drifted / columns.length;
  return {
    drift: share >= threshold,
    share,
    threshold,
    method,
    rows: { reference: reference.rows, current: current.rows },
    columns,
    missingColumns,
    newColumns,
    skipped,
  };
}

export function compareColumn(
  name: string,
  ref: ColumnProfile,
  cur: ColumnProfile,
  method: DriftMethodName,
  options: Pick<CompareOptions, "columnThreshold" | "minEffect" | "sorted">,
): DriftColumn | { skip: string } {
  const kind = comparedAs(ref);
  if (!kind) return { skip: `${ref.kind} column: not compared` };
  const a = columnView(ref, kind, options.sorted?.reference?.get(name), "the reference");
  if ("skip" in a) return a;
  const b = columnView(cur, kind, options.sorted?.current?.get(name), "current");
  if ("skip" in b) return b;
  if (kind === "numeric") choosePoints(a.view, b.view);
  // A numeric column with few values is compared by value counts, as Evidently does.
  const { chosen, name: methodName, as } = pickMethod(method, kind, ref, cur, a.view, b.view);
  if (as === "categorical" && (!a.view.counts || !b.view.counts)) {
    return { skip: `${chosen.name} needs value counts, and the column has too many distinct values` };
  }
  const result = chosen.compare(a.view, b.view, as);
  const columnThreshold = options.columnThreshold ?? chosen.defaultThreshold;
  const effect = effectSize(a.view, b.view, as);
  const minEffect = options.minEffect;
  const significant =
    chosen.kind === "test" ? (result.pValue ?? 1) < columnThreshold : result.statistic >= columnThreshold;
  // Distances are effect sizes themselves; only a p-value needs the (opt-in) effect beside it.
  const drift =
    significant && (chosen.kind === "distance" || minEffect === undefined || effect.value >= minEffect);
  const chart = chartOf(a.view, b.view, as);
  const unseen = kind === "categorical" ? unseenValues(a.view, b.view) : [];
  return {
    column: name,
    kind,
    method: methodName,
    statistic: finite(result.statistic),
    ...(result.pValue === undefined ? {} : { pValue: result.pValue }),
    threshold: columnThreshold,
    drift,
    effectSize: finite(effect.value),
    effectMeasure: effect.measure,
    ...(minEffect === undefined ? {} : { minEffect }),
    source: result.source,
    reference: sideStats(ref),
    current: sideStats(cur),
    ...(unseen.length > 0 ? { unseen } : {}),
    ...(chart ? { chart } : {}),
  };
}

function pickMethod(
  method: DriftMethodName,
  kind: ColumnKind,
  ref: ColumnProfile,
  cur: ColumnProfile,
  a: ColumnView,
  b: ColumnView,
): { chosen: DriftMethod; name: MethodName; as: ColumnKind } {
  const distinct = unionDistinct(ref, cur, a, b);
  if (method !== "auto") {
    const named = driftMethod(method);
    const as = readAs(named, kind, distinct, a);
    // A method that cannot read this column (ks on categories, z on three values) leaves it to the automatic choice.
    if (as) return { chosen: named, name: method, as };
  }
  const name = autoMethod(kind, a.n, distinct);
  const chosen = driftMethod(name);
  return { chosen, name, as: readAs(chosen, kind, distinct, a) ?? "categorical" };
}

/** The column as it is, else a numeric column with value counts as categories, else not readable by `method`. */
function readAs(
  method: DriftMethod,
  kind: ColumnKind,
  distinct: number,
  a: ColumnView,
): ColumnKind | undefined {
  if (method.accepts(kind, distinct)) return kind;
  if (kind === "numeric" && a.counts && method.accepts("categorical", distinct)) return "categorical";
  return undefined;
}

/** Exit 1: a check that compared nothing must not pass. */
function nothingToCompare(why: string): UserError {
  return new UserError(`nothing to compare: ${why}`, {}, 1);
}

function list(names: string[]): string {
  return names.length === 0 ? "(none)" : names.join(", ");
}

/** Exit 2: a column asked for by name that neither side has is a typo, not a pass. */
function unknownColumns(
  columns: string[],
  reference: DatasetProfile,
  current: DatasetProfile,
  field = "columns",
): void {
  const unknown = columns.filter((c) => !(c in reference.columns) && !(c in current.columns));
  if (unknown.length === 0) return;
  throw new UserError(
    `unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => `'${c}'`).join(", ")}; the reference has ${list(Object.keys(reference.columns))}`,
    { field },
  );
}

function unseenValues(a: ColumnView, b: ColumnView): Array<{ value: string; count: number }> {
  return [...(b.counts ?? [])]
    .filter(([value]) => !a.counts?.has(value))
    .map(([value, count]) => ({ value, count }))
    .sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : 1))
    .slice(0, UNSEEN_LISTED);
}

function sideStats(profile: ColumnProfile): SideStats {
  return {
    count: profile.count,
    missing: profile.missing,
    nan: profile.nan,
    inf: profile.inf,
    ...(profile.numeric ? { mean: profile.numeric.mean, std: profile.numeric.std } : {}),
  };
}

/** JSON has no Infinity: an infinite statistic (an unseen category under chi-squared) is written as the largest number. */
function finite(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, x));
}
