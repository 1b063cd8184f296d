/**
 * Security rules for the workflows users copy from examples/. Each rule is a pure function of the parsed
 * YAML, so the tests can show it both passes the real files and catches a bad one.
 */

export interface Violation {
  rule: string;
  where: string;
  message: string;
}

type Map = Record<string, unknown>;

/** A GitHub Actions expression, `${{ code }}` (built here so the linter does not take it for a typo'd template). */
export const expr = (code: string) => `\${{ ${code} }}`;
const RUNNER_TEMP = expr("runner.temp");

const isMap = (value: unknown): value is Map =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Event names from `on:` in any of its three shapes. */
export function triggers(workflow: Map): string[] {
  const on = workflow.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return isMap(on) ? Object.keys(on) : [];
}

interface Step {
  job: string;
  index: number;
  step: Map;
}

function jobs(workflow: Map): [string, Map][] {
  return isMap(workflow.jobs)
    ? Object.entries(workflow.jobs).filter((e): e is [string, Map] => isMap(e[1]))
    : [];
}

function steps(workflow: Map): Step[] {
  return jobs(workflow).flatMap(([job, body]) =>
    (Array.isArray(body.steps) ? body.steps : []).flatMap((step, index) =>
      isMap(step) ? [{ job, index, step }] : [],
    ),
  );
}

const usesOf = (step: Map) => (typeof step.uses === "string" ? step.uses : "");
const withOf = (step: Map): Map => (isMap(step.with) ? step.with : {});
const at = (s: Step) => `jobs.${s.job}.steps[${s.index}]`;

/** Top level: read or none only. Jobs that need more say so themselves, as a map (never write-all). */
function permissions(workflow: Map): Violation[] {
  const rule = "permissions";
  const out: Violation[] = [];
  const top = workflow.permissions;
  if (!isMap(top)) {
    out.push({
      rule,
      where: "permissions",
      message: "needs a top-level permissions map, e.g. contents: read",
    });
  } else {
    for (const [scope, level] of Object.entries(top)) {
      if (level !== "read" && level !== "none") {
        out.push({ rule, where: `permissions.${scope}`, message: `top level grants ${String(level)}` });
      }
    }
  }
  for (const [job, body] of jobs(workflow)) {
    if (body.permissions !== undefined && !isMap(body.permissions)) {
      out.push({
        rule,
        where: `jobs.${job}.permissions`,
        message: "must list scopes, not read-all/write-all",
      });
    }
  }
  return out;
}

function noPullRequestTarget(workflow: Map): Violation[] {
  return triggers(workflow).includes("pull_request_target")
    ? [
        {
          rule: "no-pull-request-target",
          where: "on",
          message: "pull_request_target runs fork code with secrets",
        },
      ]
    : [];
}

/** Context names in the `${{ }}` expressions of a string, e.g. `inputs.sha`, `github.event.pull_request.head.sha`. */
function contexts(text: string): string[] {
  const names: string[] = [];
  for (const [, body] of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    const code = (body ?? "").replace(/'[^']*'/g, "");
    names.push(...(code.match(/[A-Za-z_][\w-]*(?:\.[\w-]+)+/g) ?? []));
  }
  return names;
}

/**
 * Every checkout names a commit SHA (never a branch, which moves between the trigger and the checkout)
 * and leaves no token in .git/config. Pull requests check out the head SHA; dispatched chat-ops
 * runs the SHA the bot captured when the command was given (input `sha`).
 */
function checkoutSha(workflow: Map): Violation[] {
  const rule = "checkout-sha";
  const events = triggers(workflow);
  const takesSha =
    isMap(workflow.on) && isMap(workflow.on.workflow_dispatch)
      ? isMap(workflow.on.workflow_dispatch.inputs) && "sha" in workflow.on.workflow_dispatch.inputs
      : false;
  const out: Violation[] = [];
  for (const s of steps(workflow)) {
    if (!usesOf(s.step).startsWith("actions/checkout@")) continue;
    const ref = withOf(s.step).ref;
    const where = `${at(s)}.with.ref`;
    if (typeof ref !== "string" || !ref.includes("${{")) {
      out.push({ rule, where, message: "must be an expression naming a commit SHA" });
      continue;
    }
    const names = contexts(ref);
    const moving = names.filter((n) => !/(^|\.)(head_)?sha$/.test(n));
    if (moving.length) out.push({ rule, where, message: `not a SHA: ${moving.join(", ")}` });
    if (events.includes("pull_request") && !names.includes("github.event.pull_request.head.sha")) {
      out.push({ rule, where, message: "pull requests must check out github.event.pull_request.head.sha" });
    }
    if (takesSha && !names.includes("inputs.sha")) {
      out.push({ rule, where, message: "chat-ops runs must check out inputs.sha" });
    }
    if (withOf(s.step)["persist-credentials"] !== false) {
      out.push({ rule, where: `${at(s)}.with.persist-credentials`, message: "must be false" });
    }
  }
  return out;
}

/** Artifacts (from this run or another) land outside the workspace, so they cannot overwrite checked-out code. */
function artifactsInRunnerTemp(workflow: Map): Violation[] {
  return steps(workflow)
    .filter((s) => usesOf(s.step).startsWith("actions/download-artifact@"))
    .filter((s) => !String(withOf(s.step).path ?? "").startsWith(RUNNER_TEMP))
    .map((s) => ({
      rule: "artifacts-in-runner-temp",
      where: `${at(s)}.with.path`,
      message: `download into ${RUNNER_TEMP}`,
    }));
}

const SAME_REPO = /github\.event\.pull_request\.head\.repo\.full_name\s*==\s*github\.repository/;

/** A pull_request run may come from a fork: its jobs touch no secret unless guarded to same-repo pull requests. */
function noSecretsOnPullRequests(workflow: Map): Violation[] {
  if (!triggers(workflow).includes("pull_request")) return [];
  const rule = "no-secrets-on-pull-requests";
  const out: Violation[] = [];
  for (const key of ["env", "defaults"]) {
    if (JSON.stringify(workflow[key] ?? null).includes("secrets.")) {
      out.push({ rule, where: key, message: "workflow-level secrets reach every job" });
    }
  }
  for (const [job, body] of jobs(workflow)) {
    const guarded = typeof body.if === "string" && SAME_REPO.test(body.if);
    if (!guarded && JSON.stringify(body).includes("secrets.")) {
      out.push({ rule, where: `jobs.${job}`, message: "uses secrets without a same-repository guard" });
    }
  }
  return out;
}

/**
 * Rule chosen: GitHub's own `actions/*` by major tag; every other third-party action by a full commit SHA.
 * `OWNER/modelgate/...@v1` is the product these examples document; users replace OWNER.
 */
export function pinned(uses: string): boolean {
  if (uses.startsWith("./")) return true;
  if (uses.startsWith("docker://")) return /@sha256:[0-9a-f]{64}$/.test(uses);
  if (/^OWNER\/modelgate(\/[\w./-]+)?@v\d+$/.test(uses)) return true;
  if (/^actions\/[\w.-]+(\/[\w./-]+)?@v\d+$/.test(uses)) return true;
  return /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(uses);
}

function pinnedActions(workflow: Map): Violation[] {
  const out: Violation[] = [];
  for (const [job, body] of jobs(workflow)) {
    if (typeof body.uses === "string" && !pinned(body.uses)) {
      out.push({ rule: "pinned-actions", where: `jobs.${job}.uses`, message: body.uses });
    }
  }
  for (const s of steps(workflow)) {
    const uses = usesOf(s.step);
    if (uses && !pinned(uses)) out.push({ rule: "pinned-actions", where: `${at(s)}.uses`, message: uses });
  }
  return out;
}

/** `${{ }}` in a script is pasted in before the shell parses it (script injection); values go in by env. */
function noExpressionsInRun(workflow: Map): Violation[] {
  return steps(workflow)
    .filter((s) => typeof s.step.run === "string" && s.step.run.includes("${{"))
    .map((s) => ({
      rule: "no-expressions-in-run",
      where: `${at(s)}.run`,
      message: "pass values through env",
    }));
}

export const RULES = [
  permissions,
  noPullRequestTarget,
  checkoutSha,
  artifactsInRunnerTemp,
  noSecretsOnPullRequests,
  pinnedActions,
  noExpressionsInRun,
];

export function checkWorkflow(workflow: unknown): Violation[] {
  if (!isMap(workflow)) return [{ rule: "shape", where: "", message: "a workflow is a map" }];
  return RULES.flatMap((rule) => rule(workflow));
}
