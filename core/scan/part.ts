import type { Batch } from "../data/types.js";
import type { DataSchema } from "../data-schema/schema.js";
import { ProfileBuilder, type ProfileState } from "../profile/builder.js";
import { ValidationRun, type ValidatorState } from "../validate/run.js";
import type { ValidateOptions } from "../validate/schema.js";
import { type ExactState, ExactValues } from "./exact.js";

/** What each thread does with its rows besides profiling them; plain data, so workers get it too. */
export interface Jobs {
  /** Validate the rows against a schema (`validate`). */
  validate?: { schema: DataSchema; options: ValidateOptions };
  /** Keep exact numeric values while they are few (drift's exact tests). */
  exact?: boolean;
  /** The cell texts read as missing (`data.missing`); default: DEFAULT_MISSING. */
  missing?: string[];
}

export interface PartState {
  profile: ProfileState;
  validator?: ValidatorState;
  exact?: ExactState;
}

/** The profile of some rows and the jobs' results over them; parts over disjoint rows merge. */
export class Part {
  private readonly profile: ProfileBuilder;
  private readonly validator?: ValidationRun;
  private readonly exact?: ExactValues;
  private readonly align: (batch: Batch) => Batch;

  /** `header`: the source's columns, as its batches come; `columns`: the profile's. */
  constructor(columns: string[], header: string[], jobs: Jobs, counts?: Int32Array) {
    this.profile = new ProfileBuilder(columns, jobs.missing);
    if (jobs.validate)
      this.validator = new ValidationRun(jobs.validate.schema, header, jobs.validate.options);
    if (jobs.exact) this.exact = new ExactValues(columns, counts);
    this.align = aligner(header, columns);
  }

  add(batch: Batch): void {
    this.validator?.add(batch);
    const aligned = this.align(batch);
    this.profile.add(aligned);
    this.exact?.add(aligned);
  }

  /** The parts of one source's rows; their profile's held moments are joined before another source's come. */
  mergeSource(states: PartState[]): void {
    const [first, ...rest] = states;
    if (!first) return;
    const profile = ProfileBuilder.fromState(first.profile);
    for (const state of rest) profile.merge(ProfileBuilder.fromState(state.profile));
    profile.settle();
    this.profile.merge(profile);
    for (const state of states) {
      if (state.validator) this.validator?.merge(state.validator);
      if (state.exact) this.exact?.merge(state.exact);
    }
  }

  toState(): PartState {
    return {
      profile: this.profile.toState(),
      validator: this.validator?.toState(),
      exact: this.exact?.toState(),
    };
  }

  finish(): { profile: ProfileBuilder; validator?: ValidationRun; exact?: ExactValues } {
    return { profile: this.profile, validator: this.validator, exact: this.exact };
  }
}

/** Lays a source's batches (typed views too) out on `columns`, which include all of `header`. */
function aligner(header: string[], columns: string[]): (batch: Batch) => Batch {
  if (header.length === columns.length && header.every((name, i) => name === columns[i])) return (b) => b;
  const where = columns.map((name) => header.indexOf(name));
  return (batch) => {
    const nulls = new Array(batch.size).fill(null);
    return {
      ...batch,
      columns: where.map((c) => (c >= 0 ? batch.columns[c]! : nulls)),
      numbers: batch.numbers && where.map((c) => (c >= 0 ? batch.numbers![c] : undefined)),
      text: batch.text && where.map((c) => (c >= 0 ? batch.text![c] : undefined)),
    };
  };
}
