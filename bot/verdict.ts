import type { Config } from "../core/config/index.js";
import { describeError } from "../core/errors.js";
import { evaluateGates } from "../core/gate/index.js";
import {
  escapeMarkdown,
  type Override,
  REPORT_MARKER,
  type Report,
  renderMarkdown,
} from "../core/report/index.js";

/** What the bot concluded about one report for one pull request. */
export type Verdict =
  | { kind: "judged"; report: Report; gatesFrom: string }
  /** The report could not be read or judged; `reason` is already Markdown-safe. */
  | { kind: "rejected"; reason: string };

/** GitHub refuses comments and check summaries over 65,535 characters; the notes added here fit in the rest. */
const COMMENT_BUDGET = 60_000;

/**
 * Re-evaluates the gates with the base branch's config, so a pull request that edits its own
 * modelgate.yml (or its report) cannot loosen the gate it is held to. The report's own `gates`,
 * `passed` and `override` are the pull request's claims and are thrown away.
 */
export function judge(
  report: Report,
  config: Config | undefined,
  baseSha: string,
  override?: Override,
): Verdict {
  const base = { ...report, override: undefined };
  if (!config) {
    const judged = { ...base, gates: [], passed: true };
    return {
      kind: "judged",
      report: judged,
      gatesFrom: "no `modelgate.yml` on the base branch: no gates apply",
    };
  }
  try {
    const gates = evaluateGates(
      config.gates,
      { metrics: report.metrics, champion: report.champion?.metrics, tests: report.deltas },
      { significance: config.significance, task: report.task },
    );
    const passed = gates.every((gate) => gate.passed);
    const judged: Report = { ...base, gates, passed, ...(override && !passed ? { override } : {}) };
    return {
      kind: "judged",
      report: judged,
      gatesFrom: `gates from \`modelgate.yml\` at base ${baseSha.slice(0, 7)}`,
    };
  } catch (error) {
    return {
      kind: "rejected",
      reason: `the gates could not be applied: ${escapeMarkdown(describeError(error).message, 1000)}`,
    };
  }
}

export function rejectArtifact(error: unknown): Verdict {
  return {
    kind: "rejected",
    reason: `the report artifact was refused: ${escapeMarkdown(describeError(error).message, 1000)}`,
  };
}

export type Outcome = "passed" | "failed" | "accepted" | "rejected";

export function outcomeOf(verdict: Verdict): Outcome {
  if (verdict.kind === "rejected") return "rejected";
  if (verdict.report.passed) return "passed";
  return verdict.report.override ? "accepted" : "failed";
}

export function renderComment(verdict: Verdict, sha: string): string {
  if (verdict.kind === "rejected") {
    return `${REPORT_MARKER}\n### ❌ modelgate: no verdict for ${sha.slice(0, 7)}\n\nThe check failed because ${verdict.reason}.`;
  }
  const body = renderMarkdown(verdict.report, { maxChars: COMMENT_BUDGET });
  const note = `<sub>Commit ${sha.slice(0, 7)}; ${verdict.gatesFrom}.</sub>`;
  return body.replace(REPORT_MARKER, `${REPORT_MARKER}\n${note}`);
}

export function title(verdict: Verdict): string {
  if (verdict.kind === "rejected") return "No verdict: the report could not be used";
  const { gates, override } = verdict.report;
  const failed = gates.filter((gate) => !gate.passed).length;
  if (failed === 0) return gates.length ? `All ${gates.length} gates passed` : "Passed (no gates configured)";
  const summary = `${failed} of ${gates.length} gates failed`;
  return override ? `Regression accepted by ${override.by}: ${summary}` : summary;
}
