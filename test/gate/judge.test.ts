import { describe, expect, test } from "vitest";
import type { Gate } from "../../core/config/schema.js";
import { UserError } from "../../core/errors.js";
import { compareModels, judgeReport, type ReportEvidence } from "../../core/gate/index.js";
import { mulberry32 } from "../../core/stats/index.js";
import { fromPredictions } from "../metrics/fixtures.js";

const random = mulberry32(21);
const truth = Array.from({ length: 400 }, () => (random() < 0.4 ? 1 : 0));
const champion = fromPredictions(
  truth,
  truth.map((label, i) => (i % 10 === 0 ? 1 - label : label)),
  2,
);
const challenger = fromPredictions(
  truth,
  truth.map((label, i) => (i % 10 === 0 || i % 25 === 1 ? 1 - label : label)),
  2,
);
const gates: Gate[] = [
  { metric: "accuracy", maxDrop: 0.05 },
  { metric: "f1_macro", maxDrop: 0.05 },
];
const rules = { gates, significance: 0.05, onInconclusive: "fail" as const };

/** A report as the evaluate step writes it: metrics, the champion's, and each delta's evidence. */
function report(): ReportEvidence {
  const compared = compareModels("classification", challenger, champion, gates, {
    significance: 0.05,
    seed: 3,
  });
  return {
    task: "classification",
    metrics: compared.metrics,
    champion: compared.champion,
    deltas: compared.deltas,
    data: { test: { rows: 400 } },
  };
}

function refusal(work: () => unknown): UserError {
  try {
    work();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("judgeReport", () => {
  test("re-judges from the evidence alone: the same gates give what the evaluate step gave", () => {
    const compared = compareModels("classification", challenger, champion, gates, {
      significance: 0.05,
      seed: 3,
    });

    const judged = judgeReport(report(), rules);

    expect(judged.gates).toEqual(compared.gates);
    expect(judged.outcome).toBe(compared.outcome);
  });

  test("the base branch's margin and level are what count, recomputed from the same evidence", () => {
    const tight = judgeReport(report(), { ...rules, gates: [{ metric: "accuracy", maxDrop: 0.001 }] });
    const loose = judgeReport(report(), { ...rules, gates: [{ metric: "accuracy", maxDrop: 0.1 }] });
    const stricter = judgeReport(report(), { ...rules, significance: 0.001 });

    expect(tight.outcome).not.toBe("passed");
    expect(loose.outcome).toBe("passed");
    expect(stricter.gates[0]!.ci![1]).toBeGreaterThan(judgeReport(report(), rules).gates[0]!.ci![1]);
  });

  test("paired counts that contradict the reported accuracy are refused", () => {
    const forged = report();
    forged.deltas.accuracy = {
      ...forged.deltas.accuracy!,
      evidence: { kind: "paired", n: 400, challengerOnly: 10, championOnly: 10 },
    };

    const error = refusal(() => judgeReport(forged, rules));

    expect(error.location).toEqual({ field: "deltas.accuracy.evidence" });
    expect(error.message).toMatch(/contradicts the report/);
  });

  test("bootstrap quantiles that never reach the observed change are refused", () => {
    const forged = report();
    const evidence = forged.deltas.f1_macro!.evidence as { quantiles: number[] };
    forged.deltas.f1_macro = {
      ...forged.deltas.f1_macro!,
      evidence: { ...evidence, quantiles: evidence.quantiles.map((q) => q + 1) },
    };

    expect(refusal(() => judgeReport(forged, rules)).message).toMatch(/outside every resample/);
  });

  test("a metric judged by another metric's test is refused", () => {
    const forged = report();
    forged.deltas.f1_macro = { ...forged.deltas.f1_macro!, evidence: forged.deltas.accuracy!.evidence };

    expect(refusal(() => judgeReport(forged, rules)).message).toMatch(
      /judged by bootstrap evidence, found paired/,
    );
  });

  test("evidence over other rows than the test data's is refused", () => {
    const forged = { ...report(), data: { test: { rows: 999 } } };

    expect(refusal(() => judgeReport(forged, rules)).message).toMatch(/400 rows, but the test data has 999/);
  });

  test("a delta gate on a metric without evidence is refused, naming the gate", () => {
    const bare = report();
    delete bare.deltas.f1_macro;

    const error = refusal(() => judgeReport(bare, rules));

    expect(error.location).toEqual({ field: "gates[1].maxDrop" });
  });

  test("malformed evidence is refused with the path of the bad field", () => {
    const forged = report();
    forged.deltas.f1_macro = { ...forged.deltas.f1_macro!, evidence: { kind: "bootstrap", rows: 400 } };

    expect(refusal(() => judgeReport(forged, rules)).message).toMatch(/deltas\.f1_macro\.evidence/);
  });
});
