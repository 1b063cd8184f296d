import type { Gate } from "../config/schema.js";
import { UserError } from "../errors.js";
import { checkData, computeAll, metricsFor, predicted } from "../metrics/index.js";
import type { ClassificationData, DataFor, MetricValues, RegressionData, Task } from "../metrics/schema.js";
import { pairedBootstrapAll } from "../stats/bootstrap.js";
import { mcnemar } from "../stats/mcnemar.js";
import { checkGates, evaluateGates } from "./evaluate.js";
import type { Comparison, MetricTest } from "./schema.js";

export interface CompareOptions {
  significance: number;
  /** Same seed, same data => the same intervals, p-values and verdict. */
  seed: number;
  resamples?: number;
  confidence?: number;
}

function correctness(data: ClassificationData): Uint8Array {
  const pred = predicted(data);
  return Uint8Array.from(data.labels, (label, i) => (label === pred[i] ? 1 : 0));
}

/**
 * Different rows can only come from a bug in the caller; different classes can come from the user
 * (a retrain that added a label), so that one is a UserError.
 */
function checkPaired<T extends Task>(task: T, challenger: DataFor[T], champion: DataFor[T]): void {
  const [truthA, truthB] =
    task === "classification"
      ? [(challenger as ClassificationData).labels, (champion as ClassificationData).labels]
      : [(challenger as RegressionData).actual, (champion as RegressionData).actual];
  if (task === "classification") {
    const a = (challenger as ClassificationData).classes;
    const b = (champion as ClassificationData).classes;
    if (a.length !== b.length || a.some((name, i) => name !== b[i])) {
      throw new UserError(
        `the champion's classes [${b.join(", ")}] differ from the challenger's [${a.join(", ")}]; ` +
          "models can only be compared on the same classes in the same order",
      );
    }
  }
  if (truthA.length !== truthB.length || truthA.some((value, i) => value !== truthB[i])) {
    throw new Error("compareModels: challenger and champion were not scored on the same rows");
  }
}

function pairedTests<T extends Task>(
  task: T,
  challenger: DataFor[T],
  champion: DataFor[T],
  defined: (name: string) => boolean,
  options: CompareOptions,
): Record<string, MetricTest> {
  const bootstrap = { seed: options.seed, resamples: options.resamples, confidence: options.confidence };
  const mcnemarP =
    task === "classification"
      ? mcnemar(correctness(challenger as ClassificationData), correctness(champion as ClassificationData))
          .pValue
      : Number.NaN;
  const tested = metricsFor(task).filter((metric) => defined(metric.name));
  const results = pairedBootstrapAll(tested, challenger, champion, bootstrap);
  const deltas: Record<string, MetricTest> = {};
  for (const metric of tested) {
    const result = results[metric.name]!;
    deltas[metric.name] =
      metric.pairedTest === "mcnemar"
        ? { ...result, pValue: mcnemarP, test: "mcnemar" }
        : { ...result, test: "bootstrap" };
  }
  return deltas;
}

/**
 * Scores the challenger, and against the champion when there is one (paired on the same rows), then
 * applies the gates. Gates are checked before the (costly) resampling, so a config mistake fails fast.
 */
export function compareModels<T extends Task>(
  task: T,
  challenger: DataFor[T],
  champion: DataFor[T] | undefined,
  gates: readonly Gate[],
  options: CompareOptions,
): Comparison {
  checkGates(gates, task);
  const metrics = computeAll(task, challenger);
  let championMetrics: MetricValues | undefined;
  let deltas: Record<string, MetricTest> = {};
  if (champion) {
    checkData(task, champion);
    checkPaired(task, challenger, champion);
    const values = computeAll(task, champion);
    championMetrics = values;
    deltas = pairedTests(task, challenger, champion, (name) => name in metrics && name in values, options);
  }
  const results = evaluateGates(
    gates,
    { metrics, champion: championMetrics, tests: deltas },
    { significance: options.significance, task },
  );
  const passed = results.every((gate) => gate.passed);
  return {
    metrics,
    ...(championMetrics ? { champion: { metrics: championMetrics } } : {}),
    deltas,
    gates: results,
    passed,
  };
}
