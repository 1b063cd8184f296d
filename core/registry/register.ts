import { UserError } from "../errors.js";
import { type LoadedModel, loadModel, loadPredictor, MANIFEST_JSON, type Predictor } from "../model/index.js";
import { type Logger, silentLogger } from "../ports.js";
import { lineageFromModelDir } from "./lineage.js";
import type { ModelVersion } from "./schema.js";
import type { RegistryStore } from "./store.js";

/** What the registering project expects of the model: its name, and its target and task when known. */
export interface ProjectExpectation {
  name: string;
  target?: string;
  task?: "classification" | "regression";
}

/** The evaluation that scored the model on the test rows; its numbers go into the version. */
export interface Evaluation {
  metrics: Record<string, number>;
  testFingerprint?: string;
}

export interface RegisterModelOptions {
  store: RegistryStore;
  modelDir: string;
  project: ProjectExpectation;
  /** Absent: the version records training metrics only, and the logger says so. */
  evaluation?: Evaluation;
  source?: string;
  logger?: Logger;
}

/**
 * The one door into the registry: the folder must be a loadable model of this project with finite
 * weights and metrics before a byte is copied. A folder of CSVs or another project's model is refused.
 */
export async function registerModel(options: RegisterModelOptions): Promise<ModelVersion> {
  const { modelDir, project } = options;
  const logger = options.logger ?? silentLogger;
  await checkModelFolder(modelDir, project);
  const lineage = await lineageFromModelDir(modelDir);
  const evaluation = options.evaluation;
  if (!evaluation) {
    logger.warning(
      `${project.name}: registered without evaluation metrics (no test rows to score it on); ` +
        "'modelgate evaluate' or 'modelgate run' record them",
    );
  }
  const metrics = { ...lineage.metrics, ...evaluation?.metrics };
  checkMetrics(metrics, modelDir);
  const test = evaluation?.testFingerprint ?? lineage.dataFingerprints?.test;
  const train = lineage.dataFingerprints?.train;
  return options.store.register(project.name, modelDir, {
    ...lineage,
    metrics,
    ...(train || test ? { dataFingerprints: { train, test } } : {}),
    ...(options.source ? { source: options.source } : {}),
  });
}

/** Loads the folder as serving would (any kind), and compares what it is with what the project expects. */
export async function checkModelFolder(dir: string, project: ProjectExpectation): Promise<void> {
  let predictor: Predictor;
  try {
    predictor = await loadPredictor(dir);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(
      `not a model folder (${error.message}); register a folder written by 'modelgate train' or 'modelgate import'`,
      error.location.file ? { file: error.location.file } : { file: dir },
    );
  }
  const { manifest, kind } = predictor;
  predictor.dispose();
  const trainedFor = (manifest.run as { name?: unknown } | undefined)?.name;
  if (typeof trainedFor === "string" && trainedFor !== project.name) {
    throw new UserError(
      `this model was trained by project "${trainedFor}" (its run record), not "${project.name}"; ` +
        "register it from its own project, or pass --name to register it under that name",
      { file: `${dir}/${MANIFEST_JSON}`, field: "run.name" },
    );
  }
  if (project.target !== undefined && manifest.target !== project.target) {
    throw new UserError(
      `this model predicts "${manifest.target}", the project's data.target is "${project.target}"`,
      { file: `${dir}/${MANIFEST_JSON}`, field: "target" },
    );
  }
  if (project.task !== undefined && manifest.task !== project.task) {
    throw new UserError(`this is a ${manifest.task} model, the project's model.task is ${project.task}`, {
      file: `${dir}/${MANIFEST_JSON}`,
      field: "task",
    });
  }
  // An imported model was scored on the project's rows when it was imported (core/pipeline/import.ts).
  if (kind === "modelgate-mlp") await checkFiniteWeights(dir);
}

async function checkFiniteWeights(dir: string): Promise<void> {
  const loaded: LoadedModel = await loadModel(dir);
  try {
    const names = loaded.model.weights.map((w) => w.name);
    for (const [index, weight] of loaded.model.getWeights().entries()) {
      const values = weight.dataSync();
      for (let i = 0; i < values.length; i++) {
        if (values[i]! - values[i]! !== 0) {
          throw new UserError(
            `weight ${names[index] ?? index} holds ${values[i]}: the model diverged in training and predicts nothing useful; retrain it`,
            { file: `${dir}/weights.bin` },
          );
        }
      }
    }
  } finally {
    loaded.model.dispose();
  }
}

function checkMetrics(metrics: Record<string, number>, dir: string): void {
  for (const [name, value] of Object.entries(metrics)) {
    if (!Number.isFinite(value)) {
      throw new UserError(`metric ${name} is ${value}, not a finite number; the model cannot be compared`, {
        file: dir,
        field: `metrics.${name}`,
      });
    }
  }
}
