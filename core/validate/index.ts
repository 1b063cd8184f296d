import type { DataSource } from "../data/types.js";
import type { DataSchema } from "../data-schema/schema.js";
import { UserError } from "../errors.js";
import type { Issue, ValidateOptionsInput, ValidationResult } from "./schema.js";
import { Validator } from "./validator.js";

export { columnHints } from "./plan.js";
export {
  CheckName,
  Issue,
  ValidateOptions,
  type ValidateOptionsInput,
  ValidationResult,
} from "./schema.js";
export { ValidationRun, Validator, type ValidatorState } from "./validator.js";

export interface ValidateSourcesExtra {
  /** Fingerprint of the data as a whole (the caller computes it while reading). */
  fingerprint?: string;
  profile?: unknown;
}

/**
 * Validates sources one after another. Each file is checked on its own (its own header and
 * lines); with several files every issue names its file, and duplicates across files are not sought.
 */
export async function validateSources(
  sources: readonly DataSource[],
  schema: DataSchema,
  options: ValidateOptionsInput = {},
  extra: ValidateSourcesExtra = {},
): Promise<ValidationResult> {
  if (sources.length === 0) throw new UserError("no data files to validate");
  const results: ValidationResult[] = [];
  for (const source of sources) {
    const validator = new Validator(schema, source.columns, options);
    for await (const batch of source.batches()) validator.add(batch);
    results.push(validator.finish({ file: source.name, fingerprint: extra.fingerprint ?? "" }));
  }
  const [first] = results;
  if (results.length === 1 && first) return { ...first, ...profileOf(extra) };
  const tag = (result: ValidationResult) => (issue: Issue) => ({ ...issue, file: result.file });
  return {
    ok: results.every((result) => result.ok),
    file: results.map((result) => result.file).join(", "),
    rows: results.reduce((sum, result) => sum + result.rows, 0),
    columns: Math.max(0, ...results.map((result) => result.columns)),
    fingerprint: extra.fingerprint ?? "",
    errors: results.flatMap((result) => result.errors.map(tag(result))),
    warnings: results.flatMap((result) => result.warnings.map(tag(result))),
    ...profileOf(extra),
  };
}

function profileOf(extra: ValidateSourcesExtra): { profile?: unknown } {
  return extra.profile !== undefined ? { profile: extra.profile } : {};
}
