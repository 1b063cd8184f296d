/**
 * Security rules for the workflows users copy from examples/. Each rule is a pure function of the parsed
 * YAML, so the tests can show it both passes the real files and catches a bad one.
 */

import { configInWorkspace, driftReportsOnlyOnPullRequests, gatesFromTheBase } from "./modelgate-rules.js";
import {
  at,
  contexts,
  expr,
  isMap,
  jobs,
  type Mapping,
  runsPullRequestCode,
  steps,
  triggers,
  usesOf,
  type Violation,
  withOf,
} from "./workflow-model.js";

export { checkPins, type Pins } from "./pin-rules.js";
export { expr, triggers, type Violation } from "./workflow-model.js";

const RUNNER_TEMP = expr("runner.temp");

/** Top level: read or none only. Jobs that need more say so themselves, as a map (never write-all). */
function permissions(workflow: Mapping): Violation[] {
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

function noPullRequestTarget(workflow: Mapping): Violation[] {
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

/**
 * Every checkout names a commit SHA (never a branch, which moves between the trigger and the checkout)
 * and leaves no token in .git/config. Pull requests check out the head SHA; dispatched chat-ops
 * runs the SHA the bot captured when the command was given (input `sha`).
 */
function checkoutSha(workflow: Mapping): Violation[] {
  const rule = "checkout-sha";
  const events = triggers(workflow);
  const takesSha =
    isMap(workflow.on) && isMap(workflow.on.workflow_dispatch)
      ? isMap(workflow.on.workflow_dispatch.inputs) && "sha" in workflow.on.workflow_dispatch.inputs
      : false;
  const out: Violation[] = [];
  const writers = new Set(
    jobs(workflow)
      .filter(([, body]) => writes(body))
      .map(([job]) => job),
  );
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
    // A job holding a write token checks out the trusted commit instead (read-only-pull-request-runs).
    if (takesSha && !writers.has(s.job) && !names.includes("inputs.sha")) {
      out.push({ rule, where, message: "chat-ops runs must check out inputs.sha" });
    }
    const unsafe = withOf(s.step)["allow-unsafe-pr-checkout"];
    if (unsafe !== undefined && unsafe !== false && unsafe !== "false") {
      out.push({
        rule,
        where: `${at(s)}.with.allow-unsafe-pr-checkout`,
        message: "never opt in to pwn requests",
      });
    }
    if (withOf(s.step)["persist-credentials"] !== false) {
      out.push({ rule, where: `${at(s)}.with.persist-credentials`, message: "must be false" });
    }
  }
  return out;
}

/** Artifacts (from this run or another) land outside the workspace, so they cannot overwrite checked-out code. */
function artifactsInRunnerTemp(workflow: Mapping): Violation[] {
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
function noSecretsOnPullRequests(workflow: Mapping): Violation[] {
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

/** `OWNER/modelgate/...@v1`: the product these examples document, pinned by scripts/pin-templates.mjs. */
export const PLACEHOLDER = /^OWNER\/modelgate(\/[\w./-]+)?@v\d+$/;

/**
 * Every action by a full commit SHA (tags move), GitHub's own `actions/*` included; a local action and
 * the `OWNER/modelgate` placeholder aside.
 */
export function pinned(uses: string): boolean {
  if (uses.startsWith("./")) return true;
  if (uses.startsWith("docker://")) return /@sha256:[0-9a-f]{64}$/.test(uses);
  if (PLACEHOLDER.test(uses)) return true;
  return /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(uses);
}

function pinnedActions(workflow: Mapping): Violation[] {
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
function noExpressionsInRun(workflow: Mapping): Violation[] {
  return steps(workflow)
    .filter((s) => typeof s.step.run === "string" && s.step.run.includes("${{"))
    .map((s) => ({
      rule: "no-expressions-in-run",
      where: `${at(s)}.run`,
      message: "pass values through env",
    }));
}

/** A job's `permissions:` map grants some write scope. */
function writes(body: Mapping): boolean {
  return isMap(body.permissions) && Object.values(body.permissions).some((level) => level === "write");
}

/**
 * A job that checks out a pull request's commit (its head, a dispatch's `inputs.sha`, or any checkout on
 * pull_request/merge_group) holds no write token and no secret: the commit's code, config and installed
 * packages run in it. Work that writes runs in another job, on the trusted commit.
 */
function readOnlyPullRequestRuns(workflow: Mapping): Violation[] {
  const rule = "read-only-pull-request-runs";
  const out: Violation[] = [];
  for (const [job, body] of jobs(workflow)) {
    if (!runsPullRequestCode(workflow, job)) continue;
    if (writes(body)) {
      out.push({
        rule,
        where: `jobs.${job}.permissions`,
        message: "checks out a pull request's commit with a write token",
      });
    }
    if (JSON.stringify(body).includes("secrets.")) {
      out.push({ rule, where: `jobs.${job}`, message: "checks out a pull request's commit with a secret" });
    }
  }
  if (JSON.stringify([workflow.env ?? null, workflow.defaults ?? null]).includes("secrets.")) {
    out.push({ rule, where: "env", message: "workflow-level secrets reach jobs that run pull request code" });
  }
  return out;
}

/** Commands that resolve and run a package: from the checkout's node_modules or .npmrc first. */
const RUNS_PACKAGE = /(^|[\s;&|(`])(npx|bunx|pnpx)\b|\bnpm\s+(exec|x)\b|\b(pnpm|yarn)\s+dlx\b/;
const INSTALLS = /\bnpm\s+(install|i|ci|add)\b/;

/**
 * No `npx`/`npm exec`/`dlx`: in a checkout they run what the commit put in node_modules or .npmrc (a
 * pull request's code, with the job's token). An install is exact-version, into RUNNER_TEMP, scripts off,
 * registry named.
 */
function noNpxInCheckout(workflow: Mapping): Violation[] {
  const rule = "no-npx-in-checkout";
  const out: Violation[] = [];
  for (const s of steps(workflow)) {
    if (typeof s.step.run !== "string") continue;
    const script = s.step.run;
    if (RUNS_PACKAGE.test(script)) {
      out.push({
        rule,
        where: `${at(s)}.run`,
        message: "runs a package with npx/exec/dlx: use the modelgate action",
      });
    }
    for (const line of script.split("\n").filter((l) => INSTALLS.test(l))) {
      const problems = [
        /--prefix[ =]"?\$(RUNNER_TEMP|\{RUNNER_TEMP\})/.test(line) ? "" : '--prefix "$RUNNER_TEMP/..."',
        /--ignore-scripts\b/.test(line) ? "" : "--ignore-scripts",
        /--registry[ =]https:\/\//.test(line) ? "" : "--registry=https://...",
        /\s[@\w./-]+@\d+\.\d+\.\d+(\s|$)/.test(line) ? "" : "an exact version (name@X.Y.Z)",
      ].filter(Boolean);
      if (problems.length)
        out.push({ rule, where: `${at(s)}.run`, message: `install needs ${problems.join(", ")}` });
    }
  }
  return out;
}

export const RULES = [
  permissions,
  noPullRequestTarget,
  checkoutSha,
  artifactsInRunnerTemp,
  noSecretsOnPullRequests,
  pinnedActions,
  noExpressionsInRun,
  readOnlyPullRequestRuns,
  noNpxInCheckout,
  driftReportsOnlyOnPullRequests,
  gatesFromTheBase,
  configInWorkspace,
];

export function checkWorkflow(workflow: unknown): Violation[] {
  if (!isMap(workflow)) return [{ rule: "shape", where: "", message: "a workflow is a map" }];
  return RULES.flatMap((rule) => rule(workflow));
}
