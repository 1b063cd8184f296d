import { describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { parseReport, parseReportText } from "../../core/report/parse.js";
import { REPORT_LIMITS } from "../../core/report/schema.js";
import { sampleReport } from "./fixtures.js";

/** The UserError thrown by `work`, so a test can assert on its field and message. */
function userError(work: () => unknown): UserError {
  try {
    work();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError, nothing was thrown");
}

/** A JSON round trip: what the bot actually receives from an artifact. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("parseReport", () => {
  it("accepts a full report and returns it unchanged", () => {
    const report = sampleReport();

    const parsed = parseReport(asJson(report));

    expect(parsed).toEqual(report);
  });

  it("accepts a minimal report with only the required fields", () => {
    const minimal = {
      version: 1,
      model: "m",
      task: "regression",
      passed: true,
      primaryMetric: "rmse",
      metrics: { rmse: 1.5 },
      deltas: {},
      gates: [],
      data: {},
      generatedAt: "2024-05-01T12:00:00Z",
    };

    expect(parseReport(minimal).metrics).toEqual({ rmse: 1.5 });
  });

  it("drops unknown keys so a newer report still renders", () => {
    const parsed = parseReport({ ...sampleReport(), extra: "from a newer modelgate" });

    expect(parsed).not.toHaveProperty("extra");
  });

  it("names the field and what it expected for a wrong gate rule", () => {
    const report = asJson(sampleReport()) as { gates: { rule: string }[] };
    report.gates[1]!.rule = "atLeast";

    const error = userError(() => parseReport(report, "report.json"));

    expect(error.location).toEqual({ file: "report.json", field: "gates.1.rule" });
    expect(error.message).toContain('"maxIncrease"');
    expect(error.message).toContain('found string "atLeast"');
    expect(error.exitCode).toBe(2);
  });

  it("names the field for a wrong type deep inside", () => {
    const report = asJson(sampleReport()) as { deltas: { accuracy: { ci: unknown } } };
    report.deltas.accuracy.ci = "wide";

    const error = userError(() => parseReport(report));

    expect(error.location.field).toBe("deltas.accuracy.ci");
    expect(error.message).toContain('expected tuple, found string "wide"');
  });

  it("refuses bootstrap evidence whose quantiles do not ascend, naming the entry", () => {
    const report = asJson(sampleReport()) as { deltas: { f1_macro: { evidence: { quantiles: number[] } } } };
    report.deltas.f1_macro.evidence.quantiles[7] = 5;

    const error = userError(() => parseReport(report));

    expect(error.location.field).toBe("deltas.f1_macro.evidence.quantiles.8");
    expect(error.message).toContain("quantiles must ascend");
  });

  it("refuses paired evidence with more discordant rows than rows, and a truncated quantile list", () => {
    const paired = asJson(sampleReport()) as { deltas: Record<string, unknown> };
    paired.deltas.accuracy = {
      delta: 0,
      ci: [0, 0],
      evidence: { kind: "paired", n: 10, challengerOnly: 6, championOnly: 6 },
    };
    const short = asJson(sampleReport()) as { deltas: { f1_macro: { evidence: { quantiles: number[] } } } };
    short.deltas.f1_macro.evidence.quantiles.pop();

    expect(userError(() => parseReport(paired)).message).toContain("more discordant rows than rows");
    expect(userError(() => parseReport(short)).location.field).toBe("deltas.f1_macro.evidence.quantiles");
  });

  it("rejects another version", () => {
    const error = userError(() => parseReport({ ...sampleReport(), version: 2 }));

    expect(error.location.field).toBe("version");
  });

  it("rejects something that is not an object at all", () => {
    const error = userError(() => parseReport([1, 2, 3]));

    expect(error.location.field).toBe("(top level)");
    expect(error.message).toContain("found a list");
  });

  it("rejects a confusion matrix that does not match the classes", () => {
    const error = userError(() =>
      parseReport(
        sampleReport({
          confusionMatrix: [
            [1, 2, 3],
            [4, 5],
            [6, 7, 8],
          ],
        }),
      ),
    );

    expect(error.location.field).toBe("confusionMatrix.1");
    expect(error.message).toContain("expected 3 columns (one per class), found 2");
  });

  it("rejects a confusion matrix with fewer rows than classes", () => {
    const error = userError(() => parseReport(sampleReport({ confusionMatrix: [[1, 2, 3]] })));

    expect(error.location.field).toBe("confusionMatrix");
    expect(error.message).toContain("expected 3 rows");
  });

  it("rejects a non-hexadecimal commit, which would end up in a link", () => {
    const report = sampleReport();
    const run = { ...report.run!, commit: "main; rm -rf /" };

    const error = userError(() => parseReport({ ...report, run }));

    expect(error.location.field).toBe("run.commit");
  });

  describe("size limits", () => {
    it("rejects too many classes", () => {
      const classes = Array.from({ length: REPORT_LIMITS.classes + 1 }, (_, i) => `c${i}`);

      const error = userError(() => parseReport({ ...sampleReport(), classes, confusionMatrix: undefined }));

      expect(error.location.field).toBe("classes");
      expect(error.message).toContain(`more than ${REPORT_LIMITS.classes} items`);
    });

    it("rejects a long model name", () => {
      const error = userError(() => parseReport(sampleReport({ model: "x".repeat(REPORT_LIMITS.name + 1) })));

      expect(error.location.field).toBe("model");
      expect(error.message).toContain(`longer than ${REPORT_LIMITS.name} characters`);
    });

    it("rejects a long gate reason", () => {
      const report = sampleReport();
      const gates = [{ ...report.gates[0]!, reason: "r".repeat(REPORT_LIMITS.text + 1) }];

      const error = userError(() => parseReport({ ...report, gates }));

      expect(error.location.field).toBe("gates.0.reason");
    });

    it("rejects too many metrics", () => {
      const metrics = Object.fromEntries(
        Array.from({ length: REPORT_LIMITS.metrics + 1 }, (_, i) => [`m${i}`, i]),
      );

      const error = userError(() => parseReport(sampleReport({ metrics })));

      expect(error.location.field).toBe("metrics");
      expect(error.message).toContain(`more than ${REPORT_LIMITS.metrics} entries`);
    });

    it("rejects a training history longer than the cap", () => {
      const history = Array.from({ length: REPORT_LIMITS.history + 1 }, (_, i) => ({ epoch: i, loss: 1 }));

      const error = userError(() => parseReport(sampleReport({ history })));

      expect(error.location.field).toBe("history");
    });
  });
});

describe("parseReportText", () => {
  it("parses report.json text", () => {
    const report = sampleReport();

    expect(parseReportText(JSON.stringify(report))).toEqual(report);
  });

  it("says when the text is not JSON", () => {
    const error = userError(() => parseReportText("{nope", "report.json"));

    expect(error.message).toContain("not valid JSON");
    expect(error.location.file).toBe("report.json");
  });

  it("refuses text over the byte limit before parsing it", () => {
    const error = userError(() => parseReportText(" ".repeat(REPORT_LIMITS.bytes + 1)));

    expect(error.message).toContain(`more than the ${REPORT_LIMITS.bytes} allowed`);
  });
});
