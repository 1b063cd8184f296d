import { describe, expect, it } from "vitest";
import { renderHtml } from "../../core/report/html.js";
import { REPORT_MARKER, renderMarkdown } from "../../core/report/markdown.js";
import { manyClassReport, sampleReport } from "./fixtures.js";

const lines = (text: string) => text.split("\n");

describe("renderMarkdown", () => {
  it("starts with the marker, then the verdict naming the failed gate", () => {
    const markdown = renderMarkdown(sampleReport());

    const [marker, , verdict] = lines(markdown);
    expect(marker).toBe(REPORT_MARKER);
    expect(verdict).toBe("### ❌ modelgate: churn failed 1 of 2 gates: f1&#95;macro (drop at most 0.01)");
  });

  it("says out loud when there is nothing to compare: first model, or champion: none", () => {
    const { champion: _champion, ...alone } = sampleReport({ deltas: {} });

    const first = renderMarkdown({ ...alone, baseline: { kind: "first" } });
    const none = renderMarkdown({ ...alone, baseline: { kind: "none" } });

    expect(first).toContain("**First model: no comparison.**");
    expect(none).toContain("**No comparison** (`champion: none`)");
    expect(renderMarkdown(sampleReport())).not.toContain("no comparison");
    expect(renderHtml({ ...alone, baseline: { kind: "first" } })).toContain("First model: no comparison");
  });

  it("says passed when every gate passed", () => {
    const report = sampleReport();
    const gates = report.gates.map((gate) => ({ ...gate, passed: true }));

    const markdown = renderMarkdown({ ...report, gates, passed: true });

    expect(lines(markdown)[2]).toBe("### ✅ modelgate: churn passed all 2 gates");
  });

  it("says who accepted a regression and why", () => {
    const report = sampleReport({
      override: { by: "alice", reason: "known label noise", at: "2024-05-02T09:00:00Z" },
    });

    const markdown = renderMarkdown(report);

    expect(lines(markdown)[2]).toBe("### ⚠️ modelgate: churn regression accepted by alice: known label noise");
    expect(lines(markdown)[4]).toContain("Failed 1 of 2 gates: f1&#95;macro");
  });

  it("says inconclusive first, why it blocks, and how many rows would tell", () => {
    const report = sampleReport();
    const gates = [
      report.gates[0]!,
      {
        ...report.gates[1]!,
        outcome: "inconclusive" as const,
        value: 0.004,
        ci: [-0.01, 0.018] as [number, number],
        certified: 0.018,
        rowsNeeded: 2400,
      },
    ];

    const markdown = renderMarkdown({ ...report, gates, outcome: "inconclusive" });

    expect(lines(markdown)[2]).toBe(
      "### ❔ modelgate: churn inconclusive: inconclusive on 1 of 2 gates: f1&#95;macro (drop at most 0.01)",
    );
    expect(lines(markdown)[4]).toMatch(
      /^This test set cannot tell whether the change is within the allowed margin/,
    );
    expect(markdown).toContain(
      "| ❔ inconclusive | f1&#95;macro | drop at most 0.01 | 0.004 | [-0.01, +0.018] | ≤ 0.018 | ≈ 2,400 |",
    );
  });

  it("an inconclusive gate beyond its margin says more rows cannot pass; one allowed by onInconclusive says so", () => {
    const report = sampleReport();
    const unsure = { ...report.gates[1]!, outcome: "inconclusive" as const, rowsNeeded: null };

    const blocked = renderMarkdown({ ...report, gates: [unsure], outcome: "inconclusive" });
    const allowed = renderMarkdown({
      ...report,
      gates: [{ ...unsure, passed: true }],
      passed: true,
      outcome: "passed",
    });

    expect(blocked).toContain("| more rows cannot pass |");
    expect(allowed).toContain("| ❔ inconclusive (allowed) | f1&#95;macro |");
    expect(lines(allowed)[2]).toBe("### ✅ modelgate: churn passed all 1 gate");
  });

  it("compares champion and challenger with signed deltas and their one-sided bounds", () => {
    const markdown = renderMarkdown(sampleReport());

    expect(markdown).toContain("| Metric | Champion | Challenger | Δ | Δ 95% bounds |");
    expect(markdown).toContain("| f1&#95;macro (primary) | 0.8903 | 0.8712 | -0.0191 | [-0.0302, -0.008] |");
    expect(markdown).toContain("| accuracy | 0.9051 | 0.9123 | +0.0072 | [-0.0031, +0.0175] |");
  });

  it("shows only the challenger when there is no champion", () => {
    const markdown = renderMarkdown(sampleReport({ champion: undefined, deltas: {} }));

    expect(markdown).toContain("| Metric | Challenger |");
    expect(markdown).toContain("| accuracy | 0.9123 |");
    expect(markdown).not.toContain("Champion");
  });

  it("lists every gate with its outcome, rule, observed change, bounds, certified margin and reason", () => {
    const markdown = renderMarkdown(sampleReport());

    expect(markdown).toContain(
      "| Outcome | Metric | Rule | Observed | 95% bounds | Certifies | Rows needed | Why |",
    );
    expect(markdown).toContain(
      "| ✅ pass | accuracy | at least 0.9 | 0.9123 | – | – | – | 0.9123 is at least 0.9 |",
    );
    expect(markdown).toContain(
      "| ❌ fail | f1&#95;macro | drop at most 0.01 | 0.0191 | [+0.008, +0.0302] | ≤ 0.0302 | – | dropped 0.0191, more than 0.01, significant at 0.05 |",
    );
    // Failed gates are unfolded so reviewers see them without a click.
    expect(markdown).toContain("<details open><summary>Gates (2)</summary>");
  });

  it("draws the training curve as a mermaid xychart with loss and validation loss", () => {
    const markdown = renderMarkdown(sampleReport());

    expect(markdown).toContain(
      [
        "```mermaid",
        "xychart-beta",
        '  title "Training loss by epoch"',
        '  x-axis "epoch" [1, 2, 3, 4]',
        '  y-axis "loss"',
        "  line [0.9, 0.6, 0.45, 0.38]",
        "  line [0.95, 0.7, 0.55, 0.5]",
        "```",
      ].join("\n"),
    );
  });

  it("samples a long training curve down to a chart-sized number of points", () => {
    const history = Array.from({ length: 1000 }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1) }));

    const markdown = renderMarkdown(sampleReport({ history }));

    const xAxis = lines(markdown).find((line) => line.startsWith('  x-axis "epoch"'))!;
    const epochs = xAxis.slice(xAxis.indexOf("[") + 1, -1).split(", ");
    expect(epochs.length).toBeLessThanOrEqual(60);
    expect(epochs[0]).toBe("1");
    expect(epochs.at(-1)).toBe("1000");
  });

  it("folds confusion matrix, per-class table, data and run details", () => {
    const markdown = renderMarkdown(sampleReport());

    expect(markdown).toContain("<details><summary>Confusion matrix (3 classes)</summary>");
    expect(markdown).toContain("| maybe | 4 | 30 | 6 |");
    expect(markdown).toContain("| maybe | 0.7895 | 0.75 | 0.7692 | 40 |");
    expect(markdown).toContain("| train | 1,200 | 4f9a0c1e2b3d | data/train.csv |");
    expect(markdown).toContain("- 120 rows added to data/train.csv");
    expect(markdown).toContain("| Duration | 1 min 23 s |");
    expect(markdown.match(/<details/g)?.length).toBe(markdown.match(/<\/details>/g)?.length);
  });

  describe("size bound", () => {
    it("stays under 60,000 characters with 500 classes and says what it cut", () => {
      const report = manyClassReport(500);

      const markdown = renderMarkdown(report);

      expect(markdown.length).toBeLessThanOrEqual(60_000);
      expect(markdown).toMatch(
        /Confusion matrix cut to the \d+ classes with the most test rows; \d+ of 500 classes left out/,
      );
      expect(markdown).toContain("Per-class metrics (500 classes)");
      expect(lines(markdown)[2]).toContain("failed 1 of 2 gates");
    });

    it("cuts the per-class table after the confusion matrix when the budget is smaller", () => {
      const report = manyClassReport(500);

      const markdown = renderMarkdown(report, { maxChars: 15_000 });

      expect(markdown.length).toBeLessThanOrEqual(15_000);
      expect(markdown).toContain("Confusion matrix (500 × 500) left out");
      expect(markdown).toMatch(
        /Per-class table cut to the \d+ classes with the lowest F1; \d+ of 500 classes left out/,
      );
    });

    it("honours a tiny budget by dropping whole sections, keeping marker and verdict", () => {
      const markdown = renderMarkdown(manyClassReport(500), { maxChars: 1500 });

      expect(markdown.length).toBeLessThanOrEqual(1500);
      expect(markdown.startsWith(`${REPORT_MARKER}\n\n### ❌ modelgate: churn failed`)).toBe(true);
      expect(markdown).toContain("Left out to stay within GitHub's comment size");
    });

    it("stays under the bound at the schema's caps for names and reasons", () => {
      const report = manyClassReport(1000, {
        gates: Array.from({ length: 100 }, (_, i) => ({
          metric: `${"|".repeat(190)}${i}`,
          rule: "min" as const,
          value: 0.5,
          threshold: 0.9,
          passed: false,
          reason: "<".repeat(2000),
        })),
      });

      const markdown = renderMarkdown(report);

      expect(markdown.length).toBeLessThanOrEqual(60_000);
      expect(markdown.startsWith(REPORT_MARKER)).toBe(true);
      // Only the oversized gates table is left out; the small sections dropped on the way come back.
      expect(markdown).toContain("Left out to stay within GitHub's comment size: gates.");
      expect(markdown).toContain("#### Metrics");
    });

    it("keeps a hostile data diff small: ten shifted columns, three notes, capped strings", () => {
      const base = sampleReport();
      const report = {
        ...base,
        data: {
          ...base.data,
          diff: {
            parts: [{ part: "train" as const, old: 1, new: 2, added: 1, removed: 0, changed: 0 }],
            matchedBy: "id" as const,
            id: "<".repeat(200),
            columns: { added: Array(100).fill("|".repeat(200)), removed: Array(100).fill("*".repeat(200)) },
            shifted: Array.from({ length: 100 }, (_, i) => ({
              column: `${"_".repeat(190)}${i}`,
              change: "<".repeat(2000),
            })),
            moreShifted: 5,
            notes: Array(10).fill(">".repeat(2000)),
          },
        },
      };

      const markdown = renderMarkdown(report);
      const section = markdown.slice(markdown.indexOf("#### Data changed"), markdown.indexOf("<details>"));

      expect(section.length).toBeGreaterThan(0);
      expect(section.length).toBeLessThanOrEqual(25_000);
      expect(section.match(/^- \*\*/gm)).toHaveLength(10);
      expect(section).toContain("- and 95 more");
      expect(markdown).toContain("#### Metrics");
    });
  });
});
