import type { DataSchema } from "../data-schema/schema.js";
import { ValidationRun } from "./run.js";
import { ValidateOptions, type ValidateOptionsInput } from "./schema.js";

export { ValidationRun, type ValidatorState } from "./run.js";

/** A ValidationRun that parses its options (defaults filled in, bad values refused). */
export class Validator extends ValidationRun {
  constructor(schema: DataSchema, columns: string[], options: ValidateOptionsInput = {}) {
    super(schema, columns, ValidateOptions.parse(options));
  }
}
