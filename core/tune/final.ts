import type { LoadedConfig } from "../config/index.js";
import { UserError } from "../errors.js";
import { loadProjectData } from "../pipeline/dataset.js";
import { evaluateProject } from "../pipeline/evaluate.js";
import { trainProject } from "../pipeline/train.js";
import type { Logger } from "../ports.js";
import { RunStore } from "../tracking/index.js";
import type { Best, TestScore } from "./schema.js";

export interface ScoreBestOptions {
  cwd: string;
  storeRoot: string;
  logger: Logger;
  /** The sweep id: parent of the retrained run. */
  sweep: string;
}

/**
 * After the search: the best params retrained on all training rows and scored once on the test rows,
 * the only time a sweep reads them. Its run is a `train` run with the sweep as parent.
 */
export async function scoreBest(
  loaded: LoadedConfig,
  best: Best,
  options: ScoreBestOptions,
): Promise<TestScore> {
  const data = await loadProjectData(loaded, { cwd: options.cwd, logger: options.logger }).catch(
    (error: unknown) => {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(
        `the search is done, but scoring the best params once on the test rows needs the test data: ${error.message}`,
        error.location,
      );
    },
  );
  const store = new RunStore(options.storeRoot);
  options.logger.info(
    `retraining trial ${best.index}'s params on all ${data.info.train.rows} training rows, scoring once on the ${data.info.test.rows} test rows`,
  );
  const trained = await trainProject(loaded, {
    cwd: options.cwd,
    logger: options.logger,
    store,
    params: best.params,
    kind: "train",
    parent: options.sweep,
    data,
  });
  const { report } = await evaluateProject(loaded, {
    cwd: options.cwd,
    modelDir: trained.dir,
    logger: options.logger,
    store,
    project: data,
  });
  return { run: trained.run.id, metrics: report.metrics };
}
