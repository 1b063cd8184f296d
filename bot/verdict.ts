import type { Config } from "../core/config/index.js";
import { describeError } from "../core/errors.js";
import { judgeReport, verdictOf } from "../core/gate/index.js";
import {
  escapeMarkdown,
  type Override,
  REPORT_MARKER,
  type Report,
  renderMarkdown,
} from "../core/report/index.js";
import { boundsOf } from "../core/stats/index.js";
import type { Findings } from "./trust.js";

/** What the bot concluded about one report for one pull request. */
export type Verdict =
  | { kind: "judged"; report: Report; gatesFrom: string; notes?: string[] }
  /** The report could not be read, judged or trusted; `reason` is already Markdown-safe. */
  | { kind: "rejected"; reason: string; title?: string };

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
  findings: Findings = { notes: [], trustChampion: true },
): Verdict {
  if (findings.refuse) return { kind: "rejected", ...findings.refuse };
  // A champion the registry does not vouch for is neither evidence nor shown as if it were.
  const { champion: _claimed, ...unclaimed } = report;
  const base = findings.trustChampion
    ? { ...report, override: undefined }
    : { ...unclaimed, deltas: {}, override: undefined };
  if (!config) {
    const judged: Report = { ...base, gates: [], passed: true, outcome: "passed" };
    return {
      kind: "judged",
      report: judged,
      gatesFrom: "no `modelgate.yml` on the base branch: no gates apply",
    };
  }
  try {
    const gates = recomputeGates(report, config, findings.trustChampion).map((gate) =>
      findings.failDeltas && (gate.rule === "maxDrop" || gate.rule === "maxIncrease")
        ? { ...gate, passed: false, outcome: "fail" as const, reason: findings.failDeltas }
        : gate,
    );
    const outcome = verdictOf(gates);
    const passed = outcome === "passed";
    const judged: Report = {
      ...base,
      gates,
      outcome,
      passed,
      significance: config.significance,
      deltas: findings.trustChampion ? rebound(report, config.significance) : {},
      ...(override && !passed ? { override } : {}),
    };
    return {
      kind: "judged",
      report: judged,
      gatesFrom: `gates from \`modelgate.yml\` at base ${baseSha.slice(0, 7)}`,
      notes: findings.notes,
    };
  } catch (error) {
    return {
      kind: "rejected",
      reason: `the gates could not be applied: ${escapeMarkdown(describeError(error).message, 1000)}`,
    };
  }
}

/**
 * The one place the bot turns a report's evidence into gate results with the base branch's gates.
 * Swap point for the evidence-based recomputation (issue 11): a report's own verdicts never count.
 */
/**
 * The gates re-judged from the report's raw evidence with the base branch's gates (core/gate/judge.ts):
 * a champion the registry does not vouch for is judged as no champion at all.
 */
export function recomputeGates(
  report: Report,
  config: Config,
  trustChampion: boolean,
): ReturnType<typeof judgeReport>["gates"] {
  const evidence = trustChampion ? report : { ...report, champion: undefined, deltas: {} };
  return judgeReport(evidence, config).gates;
}

export function rejectArtifact(error: unknown): Verdict {
  return {
    kind: "rejected",
    reason: `the report artifact was refused: ${escapeMarkdown(describeError(error).message, 1000)}`,
  };
}

/** The intervals shown beside the metrics, recomputed from the evidence at the base branch's level. */
function rebound(report: Report, significance: number): Report["deltas"] {
  // Without a prototype, like the parsed report's records: a metric named `constructor` is just a name.
  return Object.assign(
    Object.create(null) as Report["deltas"],
    Object.fromEntries(
      Object.entries(report.deltas).map(([name, d]) => {
        if (!d.evidence) return [name, d];
        const { lower, upper } = boundsOf(d.evidence, significance);
        return [name, { ...d, ci: [lower, upper] as [number, number] }];
      }),
    ),
  );
}

export type Outcome = "passed" | "failed" | "inconclusive" | "accepted" | "rejected";

export function outcomeOf(verdict: Verdict): Outcome {
  if (verdict.kind === "rejected") return "rejected";
  if (verdict.report.passed) return "passed";
  if (verdict.report.override) return "accepted";
  return verdict.report.outcome === "inconclusive" ? "inconclusive" : "failed";
}

export function renderComment(verdict: Verdict, sha: string): string {
  if (verdict.kind === "rejected") {
    const heading = verdict.title
      ? `### ⚠️ modelgate: ${verdict.title} (${sha.slice(0, 7)})`
      : `### ❌ modelgate: no verdict for ${sha.slice(0, 7)}`;
    return `${REPORT_MARKER}\n${heading}\n\nThe check is not green because ${verdict.reason}.`;
  }
  const body = renderMarkdown(verdict.report, { maxChars: COMMENT_BUDGET });
  const note = `<sub>Commit ${sha.slice(0, 7)}; ${verdict.gatesFrom}.</sub>`;
  const first = (verdict.notes ?? []).map((n) => `${n}\n\n`).join("");
  return body.replace(REPORT_MARKER, `${REPORT_MARKER}\n${first}${note}`);
}

export function title(verdict: Verdict): string {
  if (verdict.kind === "rejected") return verdict.title ?? "No verdict: the report could not be used";
  const { gates, override } = verdict.report;
  const blocking = gates.filter((gate) => !gate.passed);
  if (blocking.length === 0) {
    return gates.length ? `All ${gates.length} gates passed` : "Passed (no gates configured)";
  }
  const failed = blocking.filter((gate) => gate.outcome !== "inconclusive").length;
  const unsure = blocking.length - failed;
  const parts = [
    ...(failed ? [`${failed} of ${gates.length} gates failed`] : []),
    ...(unsure ? [`${unsure} of ${gates.length} gates inconclusive`] : []),
  ];
  const summary = failed ? parts.join(", ") : `Inconclusive: ${parts.join(", ")}`;
  return override ? `Regression accepted by ${override.by}: ${summary}` : summary;
}
