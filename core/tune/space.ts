import { createHash } from "node:crypto";
import type { z } from "zod";
import { ModelConfig, type TuneConfig } from "../config/schema.js";
import { UserError } from "../errors.js";
import { deriveSeed } from "../model/random.js";
import type { Params } from "./schema.js";

export type TuneSettings = z.infer<typeof TuneConfig>;
type ModelSettings = z.infer<typeof ModelConfig>;

export interface RangeDim {
  key: string;
  kind: "range";
  min: number;
  max: number;
  log: boolean;
  integer: boolean;
}
export interface ListDim {
  key: string;
  kind: "list";
  values: unknown[];
}
export type Dim = RangeDim | ListDim;

// The task decides which metric ranks the trials, so a trial may not change it.
const NOT_TUNABLE = new Set(["task"]);
const GRID_POINTS = 3;

/** Checks the search space against the `model:` schema; errors name `tune.space.<key>`. */
export function checkSpace(tune: TuneSettings, model: ModelSettings): Dim[] {
  const keys = new Set(Object.keys(ModelConfig.shape));
  return Object.entries(tune.space).map(([key, spec]) => {
    const field = `tune.space.${key}`;
    if (!keys.has(key) || NOT_TUNABLE.has(key)) {
      const allowed = [...keys].filter((k) => !NOT_TUNABLE.has(k)).join(", ");
      throw new UserError(`'${key}' is not a tunable model: key; expected one of ${allowed}`, { field });
    }
    if (Array.isArray(spec)) {
      if (spec.length === 0) throw new UserError("the list of values is empty", { field });
      for (const [i, value] of spec.entries()) checkValue(model, key, value, `${field}[${i}]`);
      return { key, kind: "list", values: spec };
    }
    const { min, max, log, integer } = spec;
    if (min > max) throw new UserError(`min ${min} is greater than max ${max}`, { field });
    if (log && min <= 0) throw new UserError(`a log range needs min > 0, found ${min}`, { field });
    if (integer && Math.ceil(min) > Math.floor(max)) {
      throw new UserError(`no whole number lies between ${min} and ${max}`, { field });
    }
    const dim: RangeDim = { key, kind: "range", min, max, log, integer };
    // Constraints on model: keys are intervals, so the ends and one inner point show a range is valid.
    for (const value of new Set([min, max, interpolate(dim, 1 / Math.PI)])) {
      checkValue(model, key, value, field, integer ? "" : " (add integer: true?)");
    }
    return dim;
  });
}

function checkValue(model: ModelSettings, key: string, value: unknown, field: string, hint = ""): void {
  const parsed = ModelConfig.safeParse({ ...model, [key]: value });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${JSON.stringify(value)} is not a valid model.${key}: ${issue.message}${hint}`, {
      field,
    });
  }
}

/** The trials' params, in plan order: seeded draws for random, an even pick from the product for grid. */
export function planTrials(tune: TuneSettings, dims: Dim[]): Params[] {
  if (dims.length === 0) return [{}];
  if (tune.strategy === "grid") return gridPlan(dims, tune.trials, tune.seed);
  // One hashed draw per (trial, key): trial k's params depend on neither the trials before it nor
  // on the other keys of the space.
  return Array.from({ length: tune.trials }, (_, k) =>
    Object.fromEntries(dims.map((dim, d) => [dim.key, draw(dim, deriveSeed(tune.seed, k, d) / 2 ** 32)])),
  );
}

/** Identifies a plan, so shards of different sweeps are never merged. */
export function planHash(plan: Params[]): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(plan)).digest("hex")}`;
}

function draw(dim: Dim, u: number): unknown {
  if (dim.kind === "list")
    return dim.values[Math.min(dim.values.length - 1, Math.floor(u * dim.values.length))];
  if (dim.integer && !dim.log) {
    const low = Math.ceil(dim.min);
    const high = Math.floor(dim.max);
    return Math.min(high, low + Math.floor(u * (high - low + 1)));
  }
  return interpolate(dim, u);
}

function interpolate(dim: RangeDim, u: number): number {
  const value = dim.log
    ? Math.exp(Math.log(dim.min) + u * (Math.log(dim.max) - Math.log(dim.min)))
    : dim.min + u * (dim.max - dim.min);
  if (dim.integer) return Math.min(Math.floor(dim.max), Math.max(Math.ceil(dim.min), Math.round(value)));
  // Four significant digits: readable in tables and in modelgate.yml after --write-best.
  return Math.min(dim.max, Math.max(dim.min, Number(value.toPrecision(4))));
}

function gridValues(dim: Dim): unknown[] {
  if (dim.kind === "list") return dim.values;
  if (dim.integer && !dim.log && Math.floor(dim.max) - Math.ceil(dim.min) < 5) {
    return Array.from(
      { length: Math.floor(dim.max) - Math.ceil(dim.min) + 1 },
      (_, i) => Math.ceil(dim.min) + i,
    );
  }
  const points = Array.from({ length: GRID_POINTS }, (_, i) => interpolate(dim, i / (GRID_POINTS - 1)));
  return [...new Set(points)];
}

function gridPlan(dims: Dim[], budget: number, seed: number): Params[] {
  const axes = dims.map(gridValues);
  const size = axes.reduce((n, axis) => n * axis.length, 1);
  return pickIndices(size, Math.min(budget, size), seed).map((cell) => {
    const params: Params = {};
    for (let d = dims.length - 1; d >= 0; d--) {
      const axis = axes[d]!;
      params[dims[d]!.key] = axis[cell % axis.length];
      cell = Math.floor(cell / axis.length);
    }
    return Object.fromEntries(dims.map((dim) => [dim.key, params[dim.key]]));
  });
}

/**
 * `count` distinct cells of the grid, in grid order. Over budget, a seeded sample (Floyd's algorithm):
 * an even stride would keep hitting the same values of the last keys.
 */
function pickIndices(size: number, count: number, seed: number): number[] {
  if (count >= size) return Array.from({ length: size }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = size - count; j < size; j++) {
    const t = Math.floor((deriveSeed(seed, 0x6e1d, j) / 2 ** 32) * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
