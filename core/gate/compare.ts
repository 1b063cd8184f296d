import type { Gate, OnInconclusive } from "../config/schema.js";
import { UserError } from "../errors.js";
import { checkData, computeAll, metricsFor, predicted } from "../metrics/index.js";
import type { ClassificationData, DataFor, MetricValues, RegressionData, Task } from "../metrics/schema.js";
import { pairedBootstrapAll } from "../stats/bootstrap.js";
import type { PairedCounts } from "../stats/schema.js";
import { checkGates, evaluateGates, verdictOf } from "./evaluate.js";
import type { Comparison, MetricTest } from "./schema.js";

export interface CompareOptions {
  significance: number;
  onInconclusive?: OnInconclusive;
  /** Same seed, same data => the same evidence and verdict. */
  seed: number;
  resamples?: number;
  /** Only these metrics are scored and tested (default: every metric); the simulations use it. */
  only?: readonly string[];
}

/** Accuracy's evidence: the rows only one model got right. */
function pairedCounts(challenger: ClassificationData, champion: ClassificationData): PairedCounts {
  const [a, b] = [predicted(challenger), predicted(champion)];
  let challengerOnly = 0;
  let championOnly = 0;
  challenger.labels.forEach((label, i) => {
    if (a[i] === label && b[i] !== label) challengerOnly += 1;
    else if (a[i] !== label && b[i] === label) championOnly += 1;
  });
  return { kind: "paired", n: challenger.labels.length, challengerOnly, championOnly };
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
  const tested = metricsFor(task).filter((metric) => defined(metric.name));
  const bootstrapped = tested.filter((metric) => metric.pairedTest === "bootstrap");
  const quantiles = pairedBootstrapAll(bootstrapped, challenger, champion, {
    seed: options.seed,
    resamples: options.resamples,
  });
  const deltas: Record<string, MetricTest> = {};
  for (const metric of tested) {
    const delta = metric.compute(challenger) - metric.compute(champion);
    if (metric.pairedTest === "score") {
      const evidence = pairedCounts(challenger as ClassificationData, champion as ClassificationData);
      deltas[metric.name] = { delta, evidence, test: "score" };
      continue;
    }
    const evidence = quantiles[metric.name];
    if (evidence) deltas[metric.name] = { delta, evidence, test: "bootstrap" };
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
  const metrics = computeAll(task, challenger, options.only);
  let championMetrics: MetricValues | undefined;
  let deltas: Record<string, MetricTest> = {};
  if (champion) {
    checkData(task, champion);
    checkPaired(task, challenger, champion);
    const values = computeAll(task, champion, options.only);
    championMetrics = values;
    deltas = pairedTests(task, challenger, champion, (name) => name in metrics && name in values, options);
  }
  const results = evaluateGates(
    gates,
    { metrics, champion: championMetrics, tests: deltas },
    { significance: options.significance, task, onInconclusive: options.onInconclusive },
  );
  const outcome = verdictOf(results);
  return {
    metrics,
    ...(championMetrics ? { champion: { metrics: championMetrics } } : {}),
    deltas,
    gates: results,
    outcome,
    passed: outcome === "passed",
  };
}
