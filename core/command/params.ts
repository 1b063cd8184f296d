import type { ParamSpec, ParamSpecs, ParamValue } from "../config/command.js";
import { UserError } from "../errors.js";

/**
 * The params a training program runs with: the declared defaults, overridden by `given` (a retrain
 * comment, the train step's input, a tuning trial). Only declared names, each typed and within its
 * bounds; a refusal names the param and the bound ("epochs: at most 1000").
 */
export function resolveParams(
  specs: ParamSpecs,
  given: Record<string, unknown>,
  field = "params",
): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, spec.default]),
  );
  for (const [name, raw] of Object.entries(given)) {
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) {
      const declared = Object.keys(specs);
      throw new UserError(
        `${name}: not a param the config declares (${declared.length > 0 ? `declared: ${declared.join(", ")}` : "it declares none under model.params"})`,
        { field },
      );
    }
    values[name] = checked(name, spec, raw, field);
  }
  return values;
}

function checked(name: string, spec: ParamSpec, raw: unknown, field: string): ParamValue {
  const fail = (expected: string) =>
    new UserError(`${name}: ${expected}, found ${JSON.stringify(raw)?.slice(0, 100)}`, { field });
  if (spec.type === "boolean") {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "false") return raw === "true";
    throw fail("expected true or false");
  }
  if (spec.type === "string") {
    if (typeof raw === "string" && spec.values.includes(raw)) return raw;
    throw fail(`expected one of ${spec.values.join(", ")}`);
  }
  const value =
    typeof raw === "number"
      ? raw
      : typeof raw === "string" && NUMBER.test(raw.trim())
        ? Number(raw)
        : Number.NaN;
  if (!Number.isFinite(value)) throw fail("expected a number");
  if (spec.type === "integer" && !Number.isInteger(value)) throw fail("expected a whole number");
  if (spec.min !== undefined && value < spec.min)
    throw new UserError(`${name}: at least ${spec.min}.`, { field });
  if (spec.max !== undefined && value > spec.max)
    throw new UserError(`${name}: at most ${spec.max}.`, { field });
  return value;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
