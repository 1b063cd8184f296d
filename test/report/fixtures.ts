import type { Report } from "../../core/report/schema.js";
import { type Evidence, normalQuantile, QUANTILE_STEPS } from "../../core/stats/index.js";

/** Bootstrap evidence of a delta as if normal(mean, sd): what the evaluate step would have stored. */
export function normalEvidence(mean: number, sd: number, rows: number): Evidence {
  const quantiles = Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) => {
    const p = Math.min(1 - 1e-4, Math.max(1e-4, i / QUANTILE_STEPS));
    return Number((mean + sd * normalQuantile(p)).toPrecision(9));
  });
  return { kind: "bootstrap", rows, resamples: 1000, seed: 42, discordant: rows, quantiles };
}

/** The files of the registry champion (v3) sampleReport compared with; test/bot/helpers.ts registers it. */
export const SAMPLE_CHAMPION_FILES = [
  { path: "model.json", sha256: "1".repeat(64) },
  { path: "weights.bin", sha256: "2".repeat(64) },
] as const;

/**
 * A complete, valid report of a three-class model whose challenger fails one gate.
 * `overrides` replaces top-level fields, so tests state only what they are about.
 */
export function sampleReport(overrides: Partial<Report> = {}): Report {
  return {
    version: 1,
    model: "churn",
    task: "classification",
    passed: false,
    outcome: "failed",
    significance: 0.05,
    primaryMetric: "f1_macro",
    metrics: { accuracy: 0.9123, f1_macro: 0.8712, log_loss: 0.3011 },
    champion: {
      metrics: { accuracy: 0.9051, f1_macro: 0.8903, log_loss: 0.2954 },
      version: "v3",
      source: "registry",
    },
    baseline: { kind: "registry", version: 3, files: [...SAMPLE_CHAMPION_FILES] },
    deltas: {
      accuracy: { delta: 0.0072, ci: [-0.0031, 0.0175] },
      // A drop of 0.0191, surely above 0: fails a maxDrop 0.01 gate when the bot re-judges it.
      f1_macro: { delta: -0.0191, ci: [-0.0302, -0.008], evidence: normalEvidence(-0.0191, 0.0067, 150) },
      log_loss: { delta: 0.0057, ci: [-0.001, 0.0124] },
    },
    gates: [
      {
        metric: "accuracy",
        rule: "min",
        value: 0.9123,
        threshold: 0.9,
        outcome: "pass",
        passed: true,
        reason: "0.9123 is at least 0.9",
      },
      {
        metric: "f1_macro",
        rule: "maxDrop",
        value: 0.0191,
        threshold: 0.01,
        outcome: "fail",
        passed: false,
        ci: [0.008, 0.0302],
        certified: 0.0302,
        reason: "dropped 0.0191, more than 0.01, significant at 0.05",
      },
    ],
    classes: ["no", "maybe", "yes"],
    confusionMatrix: [
      [50, 3, 2],
      [4, 30, 6],
      [1, 5, 49],
    ],
    perClass: [
      { class: "no", precision: 0.9091, recall: 0.9091, f1: 0.9091, support: 55 },
      { class: "maybe", precision: 0.7895, recall: 0.75, f1: 0.7692, support: 40 },
      { class: "yes", precision: 0.8596, recall: 0.8909, f1: 0.875, support: 55 },
    ],
    data: {
      train: {
        rows: 1200,
        fingerprint: "sha256:4f9a0c1e2b3d4e5f60718293a4b5c6d7e8f90123",
        file: "data/train.csv",
      },
      test: {
        rows: 150,
        fingerprint: "sha256:0badc0ffee0123456789abcdef0123456789abcd",
        file: "data/test.csv",
      },
      changes: ["120 rows added to data/train.csv", "column income: mean 52,000 -> 54,300"],
    },
    history: [
      { epoch: 1, loss: 0.9, valLoss: 0.95, metric: 0.6 },
      { epoch: 2, loss: 0.6, valLoss: 0.7, metric: 0.75 },
      { epoch: 3, loss: 0.45, valLoss: 0.55, metric: 0.82 },
      { epoch: 4, loss: 0.38, valLoss: 0.5, metric: 0.86 },
    ],
    run: {
      id: "run-20240501-abc",
      commit: "0123456789abcdef0123456789abcdef01234567",
      dirty: false,
      backend: "wasm",
      durationMs: 83_000,
      startedAt: "2024-05-01T12:00:00.000Z",
    },
    generatedAt: "2024-05-01T12:01:30.000Z",
    ...overrides,
  };
}

/** A report with `n` classes: a diagonal-heavy confusion matrix and per-class rows for each. */
export function manyClassReport(n: number, overrides: Partial<Report> = {}): Report {
  const classes = Array.from({ length: n }, (_, i) => `class_${String(i).padStart(3, "0")}`);
  const confusionMatrix = classes.map((_, r) =>
    classes.map((_, c) => (r === c ? 90 + (r % 7) : (r + c) % 3)),
  );
  const perClass = classes.map((name, i) => ({
    class: name,
    precision: 0.8 + (i % 10) / 100,
    recall: 0.75 + (i % 13) / 100,
    f1: 0.77 + (i % 11) / 100,
    support: 100 + i,
  }));
  return sampleReport({ classes, confusionMatrix, perClass, ...overrides });
}
