/**
 * Reading a parsed workflow for the rules (workflow-rules.ts, modelgate-rules.ts): its triggers, jobs and
 * steps, and which jobs run a pull request's code.
 */

export interface Violation {
  rule: string;
  where: string;
  message: string;
}

export type Mapping = Record<string, unknown>;

/** A GitHub Actions expression, `${{ code }}` (built here so the linter does not take it for a typo'd template). */
export const expr = (code: string) => `\${{ ${code} }}`;

export const isMap = (value: unknown): value is Mapping =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Event names from `on:` in any of its three shapes. */
export function triggers(workflow: Mapping): string[] {
  const on = workflow.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return isMap(on) ? Object.keys(on) : [];
}

export interface Step {
  job: string;
  index: number;
  step: Mapping;
}

export function jobs(workflow: Mapping): [string, Mapping][] {
  return isMap(workflow.jobs)
    ? Object.entries(workflow.jobs).filter((e): e is [string, Mapping] => isMap(e[1]))
    : [];
}

export function steps(workflow: Mapping): Step[] {
  return jobs(workflow).flatMap(([job, body]) =>
    (Array.isArray(body.steps) ? body.steps : []).flatMap((step, index) =>
      isMap(step) ? [{ job, index, step }] : [],
    ),
  );
}

export const usesOf = (step: Mapping) => (typeof step.uses === "string" ? step.uses : "");
export const withOf = (step: Mapping): Mapping => (isMap(step.with) ? step.with : {});
export const at = (s: Step) => `jobs.${s.job}.steps[${s.index}]`;

/** Context names in the `${{ }}` expressions of a string, e.g. `inputs.sha`, `github.event.pull_request.head.sha`. */
export function contexts(text: string): string[] {
  const names: string[] = [];
  for (const [, body] of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    const code = (body ?? "").replace(/'[^']*'/g, "");
    names.push(...(code.match(/[A-Za-z_][\w-]*(?:\.[\w-]+)+/g) ?? []));
  }
  return names;
}

/** The commit a job runs is a pull request's: it checks one out, or the workflow runs on pull requests. */
export function runsPullRequestCode(workflow: Mapping, job: string): boolean {
  const events = triggers(workflow);
  return steps(workflow)
    .filter((s) => s.job === job && usesOf(s.step).startsWith("actions/checkout@"))
    .some((s) => {
      if (events.includes("pull_request") || events.includes("merge_group")) return true;
      const names = contexts(String(withOf(s.step).ref ?? ""));
      return names.includes("inputs.sha") || names.includes("github.event.pull_request.head.sha");
    });
}
