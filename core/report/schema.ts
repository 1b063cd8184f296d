import { z } from "zod";
import { Evidence } from "../stats/schema.js";

/**
 * The report is read back from artifacts of fork pull requests, so every list and string has a cap:
 * a hostile report must not make the bot spend memory or post a comment larger than GitHub accepts.
 */
export const REPORT_LIMITS = {
  name: 200,
  text: 2000,
  path: 500,
  metrics: 100,
  gates: 100,
  classes: 1000,
  changes: 100,
  history: 10_000,
  /** Bytes of report.json; a 1000-class confusion matrix fits well within it. */
  bytes: 16 * 1024 * 1024,
} as const;

const Name = z.string().min(1).max(REPORT_LIMITS.name);
const Text = z.string().max(REPORT_LIMITS.text);
const FilePath = z.string().min(1).max(REPORT_LIMITS.path);
const Timestamp = z.iso.datetime({ offset: true });
const Probability = z.number().min(0).max(1);
const Count = z.number().int().min(0);
const Interval = z.tuple([z.number(), z.number()]);

/**
 * zod's record has no size cap, so the key count is checked after parsing. Its keys come from the
 * report, so the record has no prototype: `constructor` is a name like any other, never a function a
 * lookup stumbles on (zod itself drops a `__proto__` key rather than let it set a prototype).
 */
function cappedRecord<V extends z.ZodType>(value: V, max: number) {
  return z
    .record(Name, value)
    .refine((record) => Object.keys(record).length <= max, `more than ${max} entries`)
    .overwrite((record) => Object.assign(Object.create(null) as typeof record, record));
}

export const Metrics = cappedRecord(z.number(), REPORT_LIMITS.metrics);
export type Metrics = z.infer<typeof Metrics>;

export const Delta = z.object({
  delta: z.number(),
  ci: Interval.describe(
    "one-sided lower and upper bounds of the delta at `significance`, challenger minus champion",
  ),
  pValue: Probability.optional().describe("reports before the three-outcome gate only"),
  evidence: Evidence.optional().describe(
    "raw evidence to recompute a bound at any level: paired counts (accuracy, Tango's score interval) or " +
      "the metric's own paired-bootstrap quantiles",
  ),
});
export type Delta = z.infer<typeof Delta>;

export const GateRule = z.enum(["min", "max", "maxDrop", "maxIncrease"]);
export type GateRule = z.infer<typeof GateRule>;

export const GateOutcome = z.enum(["pass", "fail", "inconclusive"]);
export type GateOutcome = z.infer<typeof GateOutcome>;

export const Verdict = z.enum(["passed", "failed", "inconclusive"]);
export type Verdict = z.infer<typeof Verdict>;

export const GateResult = z.object({
  metric: Name,
  rule: GateRule,
  value: z
    .number()
    .describe("the challenger's value (for maxDrop/maxIncrease: the degradation from the champion)"),
  threshold: z.number(),
  outcome: GateOutcome.optional().describe(
    "maxDrop/maxIncrease: pass when the upper bound of the degradation is within the margin, fail when " +
      "the observed degradation is beyond it and the lower bound above 0, inconclusive otherwise",
  ),
  passed: z.boolean().describe("the outcome after onInconclusive"),
  certified: z.number().optional().describe("the smallest margin this test set certifies"),
  rowsNeeded: Count.nullable()
    .optional()
    .describe("inconclusive: about how many test rows would decide it; null: more rows cannot make it pass"),
  ci: Interval.optional().describe(
    "maxDrop/maxIncrease: one-sided lower and upper bounds of `value` at `significance`",
  ),
  pValue: Probability.optional().describe("reports before the three-outcome gate only"),
  reason: Text,
});
export type GateResult = z.infer<typeof GateResult>;

export const ClassMetrics = z.object({
  class: Name,
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: Count,
});
export type ClassMetrics = z.infer<typeof ClassMetrics>;

export const DataPart = z.object({
  rows: Count,
  fingerprint: z.string().min(1).max(128),
  file: FilePath.optional(),
});
export type DataPart = z.infer<typeof DataPart>;

export const Epoch = z.object({
  epoch: Count,
  loss: z.number(),
  valLoss: z.number().optional(),
  metric: z.number().optional(),
});
export type Epoch = z.infer<typeof Epoch>;

export const RunInfo = z.object({
  id: Name,
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/i, "a hexadecimal commit SHA")
    .optional(),
  dirty: z.boolean().optional(),
  backend: Name,
  durationMs: z.number().min(0),
  startedAt: Timestamp,
});
export type RunInfo = z.infer<typeof RunInfo>;

const FileHash = z.object({
  path: FilePath,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lower-case hex digits"),
});

/**
 * What the challenger was compared with: the registry's champion (version and file hashes, which the
 * bot checks against the registry itself), a named folder, the first model (no champion yet), or
 * nothing (`champion: none`).
 */
export const Baseline = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("registry"),
    version: z.number().int().positive(),
    files: z.array(FileHash).max(10_000),
    testFingerprint: z.string().min(1).max(REPORT_LIMITS.name).optional(),
  }),
  z.object({ kind: z.literal("folder"), files: z.array(FileHash).max(10_000) }),
  z.object({ kind: z.literal("first") }),
  z.object({ kind: z.literal("none") }),
]);
export type Baseline = z.infer<typeof Baseline>;

export const Override = z.object({
  by: Name.describe("the maintainer who accepted the regression"),
  reason: Text,
  at: Timestamp,
});
export type Override = z.infer<typeof Override>;

const DiffCount = Count.max(Number.MAX_SAFE_INTEGER);

/** The data diff shown first in the comment: bounded, since it comes back from pull-request artifacts. */
export const DataDiffSummary = z.object({
  parts: z
    .array(
      z.object({
        part: z.enum(["train", "test"]),
        old: DiffCount.optional().describe("absent when the champion's count is unknown"),
        new: DiffCount,
        added: DiffCount.optional(),
        removed: DiffCount.optional(),
        changed: DiffCount.optional().describe("same id, some cell differs"),
      }),
    )
    .max(2),
  matchedBy: z
    .enum(["id", "rows", "counts"])
    .describe("rows matched by the id column, as whole rows, or only counted"),
  id: Name.optional(),
  columns: z.object({
    added: z.array(Name).max(REPORT_LIMITS.changes),
    removed: z.array(Name).max(REPORT_LIMITS.changes),
  }),
  shifted: z
    .array(z.object({ column: Name, change: Text }))
    .max(REPORT_LIMITS.changes)
    .describe("training columns whose distribution moved"),
  moreShifted: DiffCount.optional().describe("shifted columns beyond the list"),
  notes: z.array(Text).max(10),
});
export type DataDiffSummary = z.infer<typeof DataDiffSummary>;

/**
 * Unknown keys are dropped rather than refused: a newer modelgate that adds a field still
 * renders in an older bot. A change that breaks readers bumps `version`.
 */
export const Report = z
  .object({
    version: z.literal(1),
    model: Name,
    task: z.enum(["classification", "regression"]),
    passed: z.boolean(),
    outcome: Verdict.optional().describe(
      "passed, failed or inconclusive (blocks unless onInconclusive: pass)",
    ),
    significance: z.number().gt(0).lt(1).optional().describe("one-sided level of every bound in the report"),
    primaryMetric: Name,
    metrics: Metrics,
    champion: z
      .object({
        metrics: Metrics,
        version: z.union([z.string().min(1).max(REPORT_LIMITS.name), z.number().int()]).optional(),
        source: z.string().min(1).max(REPORT_LIMITS.path).optional(),
      })
      .optional(),
    baseline: Baseline.optional().describe("what the challenger was compared with"),
    deltas: cappedRecord(Delta, REPORT_LIMITS.metrics),
    gates: z.array(GateResult).max(REPORT_LIMITS.gates),
    classes: z.array(Name).max(REPORT_LIMITS.classes).optional(),
    confusionMatrix: z
      .array(z.array(Count).max(REPORT_LIMITS.classes))
      .max(REPORT_LIMITS.classes)
      .optional()
      .describe("rows are actual classes, columns predicted, in the order of `classes`"),
    perClass: z.array(ClassMetrics).max(REPORT_LIMITS.classes).optional(),
    data: z.object({
      train: DataPart.optional(),
      test: DataPart.optional(),
      changes: z.array(Text).max(REPORT_LIMITS.changes).optional(),
      diff: DataDiffSummary.optional().describe("the challenger's data against the champion's"),
    }),
    history: z.array(Epoch).max(REPORT_LIMITS.history).optional(),
    run: RunInfo.optional(),
    override: Override.optional(),
    pullRequest: z
      .strictObject({
        number: z.number().int().positive(),
        sha: z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA"),
        command: z.string().regex(/^[a-z-]{1,40}$/, "expected a command name"),
      })
      .optional()
      .describe(
        "the chat-ops dispatch this run answers: the bot reports to this pull request if `sha` is still its head",
      ),
    generatedAt: Timestamp,
  })
  .superRefine((report, ctx) => {
    const matrix = report.confusionMatrix;
    if (!matrix) return;
    const size = report.classes?.length;
    if (size === undefined) {
      ctx.addIssue({ code: "custom", path: ["classes"], message: "required with a confusionMatrix" });
      return;
    }
    if (matrix.length !== size) {
      ctx.addIssue({
        code: "custom",
        path: ["confusionMatrix"],
        message: `expected ${size} rows (one per class), found ${matrix.length}`,
      });
    }
    const bad = matrix.findIndex((row) => row.length !== size);
    if (bad >= 0) {
      ctx.addIssue({
        code: "custom",
        path: ["confusionMatrix", bad],
        message: `expected ${size} columns (one per class), found ${matrix[bad]?.length}`,
      });
    }
  });
export type Report = z.infer<typeof Report>;
export type ReportInput = z.input<typeof Report>;
