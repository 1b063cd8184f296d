/** The rules about modelgate's own steps in a workflow (the general ones are in workflow-rules.ts). */
import {
  at,
  isMap,
  type Mapping,
  runsPullRequestCode,
  steps,
  usesOf,
  type Violation,
  withOf,
} from "./workflow-model.js";

const isDrift = (uses: string) => /^[\w.-]+\/modelgate\/actions\/drift@/.test(uses);
const isEvaluate = (uses: string) => /^[\w.-]+\/modelgate\/actions\/evaluate@/.test(uses);
const isModelgate = (uses: string) => /^[\w.-]+\/modelgate(\/actions\/[\w-]+)?@/.test(uses);

/** The drift action on a pull request's commit only reports: its config must not drive the real issue or a retrain. */
export function driftReportsOnlyOnPullRequests(workflow: Mapping): Violation[] {
  const rule = "drift-reports-only-on-pull-requests";
  const out: Violation[] = [];
  for (const s of steps(workflow)) {
    if (!isDrift(usesOf(s.step)) || !runsPullRequestCode(workflow, s.job)) continue;
    for (const key of ["issue", "retrain"]) {
      const value = withOf(s.step)[key];
      if (value !== "false" && value !== false) {
        out.push({
          rule,
          where: `${at(s)}.with.${key}`,
          message: `must be "false" on a pull request's commit`,
        });
      }
    }
  }
  return out;
}

/** The evaluate action reads the gates at the base (events) or dispatched branch; a workflow never names its own ref. */
export function gatesFromTheBase(workflow: Mapping): Violation[] {
  const out: Violation[] = [];
  for (const s of steps(workflow)) {
    if (!isEvaluate(usesOf(s.step))) continue;
    for (const key of ["gates-ref", "gates"]) {
      if (key in withOf(s.step)) {
        out.push({
          rule: "gates-from-the-base",
          where: `${at(s)}.with.${key}`,
          message: "gates come from the base branch's modelgate.yml",
        });
      }
    }
    const env = isMap(s.step.env) ? s.step.env : {};
    for (const key of ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_SHA"]) {
      if (key in env) {
        out.push({
          rule: "gates-from-the-base",
          where: `${at(s)}.env.${key}`,
          message: "the runner's event names the base",
        });
      }
    }
  }
  return out;
}

/** `config` and `schema` of a modelgate step: a plain relative path in the workspace (the action refuses others too). */
export function configInWorkspace(workflow: Mapping): Violation[] {
  const out: Violation[] = [];
  for (const s of steps(workflow)) {
    if (!isModelgate(usesOf(s.step))) continue;
    for (const key of ["config", "schema"]) {
      const value = withOf(s.step)[key];
      if (value === undefined) continue;
      const text = String(value);
      const bad =
        text.includes("${{") ||
        /^[a-z][a-z0-9+.-]*:/i.test(text) ||
        text.startsWith("/") ||
        text.startsWith("~") ||
        text.split(/[\\/]/).includes("..");
      if (bad) {
        out.push({
          rule: "config-in-workspace",
          where: `${at(s)}.with.${key}`,
          message: `'${text}' is not a plain path in the workspace`,
        });
      }
    }
  }
  return out;
}
