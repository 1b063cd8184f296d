import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type CommandTrainOptions, trainWithCommand } from "../command/index.js";
import { resolveParams } from "../command/params.js";
import type { LoadedConfig } from "../config/index.js";
import type { ColumnTable } from "../data/split.js";
import type { Batch } from "../data/types.js";
import { buildRowIndex, DATA_INDEX } from "../diff/row-index.js";
import { UserError } from "../errors.js";
import {
  type BackendOptions,
  MANIFEST_JSON,
  ModelManifest,
  saveModel,
  type TrainedModel,
  trainModel,
} from "../model/index.js";
import type { Logger } from "../ports.js";
import { ProfileBuilder } from "../profile/index.js";
import { finishedRun, RunStore } from "../tracking/index.js";
import type { RunRecord } from "../tracking/schema.js";
import { loadProjectData, type ProjectData } from "./dataset.js";
import { importModel } from "./import.js";
import { openModelFolder, refuseNonEmpty } from "./model-folder.js";

/** The training rows' profile, saved beside the model so drift checks need no training data. */
export const REFERENCE_PROFILE = "profile.json";

export interface TrainProjectOptions {
  cwd: string;
  /** Model folder; default .modelgate/artifacts/<run id>/model under the project. */
  out?: string;
  /** Replace a non-empty `out` (refused otherwise, before any work). */
  force?: boolean;
  /** Aborting stops training between epochs; the partial model folder is removed. */
  signal?: AbortSignal;
  logger: Logger;
  store: RunStore;
  git?: { commit: string; dirty: boolean };
  backend?: BackendOptions;
  /** Overrides of `model:` keys (chat-ops `retrain key=value`, tuning trials). */
  params?: Partial<LoadedConfig["config"]["model"]>;
  kind?: RunRecord["kind"];
  parent?: string;
  /** model.command projects: values for the declared model.params (checked, typed, bounded). */
  commandParams?: Record<string, unknown>;
  /** model.command projects: the environment the program inherits, from the door. */
  env?: Record<string, string | undefined>;
  /** Rows already read (tuning trials hand in their tuning share); default: the project's data. */
  data?: ProjectData;
}

export interface TrainProjectResult {
  dir: string;
  run: RunRecord;
  /** Absent when the project's own program (model.command) trained the model. */
  trained?: TrainedModel;
}

export async function trainProject(
  loaded: LoadedConfig,
  options: TrainProjectOptions,
): Promise<TrainProjectResult> {
  const { config } = loaded;
  if (config.model.command) {
    // Settings a dispatch may not change are refused before anything is read.
    const settings = commandOptions(options);
    // As a native run: a non-empty --out is refused unless --force, before the program runs.
    if (options.out) await refuseNonEmpty(options.out, { force: options.force });
    resolveParams(config.model.params ?? {}, options.commandParams ?? {});
    const data = await options.logger.group("read data", () =>
      loadProjectData(loaded, { cwd: options.cwd, logger: options.logger }),
    );
    const { dir, run, train } = await trainWithCommand(loaded, {
      ...settings,
      data,
      importModel: async (source, out) => {
        await importModel(loaded, {
          cwd: options.cwd,
          source,
          out,
          logger: options.logger,
          git: options.git,
        });
      },
    });
    await recordRun(dir, run);
    await writeFile(path.join(dir, REFERENCE_PROFILE), `${JSON.stringify(profileTable(train))}\n`);
    await writeRowIndex(dir, train, data.test, config.data.id);
    return { dir, run };
  }
  if (Object.keys(options.commandParams ?? {}).length > 0) {
    throw new UserError("params are for a model.command project; this config has no model.command", {
      field: "params",
    });
  }
  const started = new Date();
  const model = { ...config.model, ...options.params };
  const id = RunStore.newId(started);
  const dir = options.out ?? path.join(options.store.root, "artifacts", id, "model");
  // Refuse a non-empty --out before reading anything: the user learns in a second, not after training.
  const folder = await openModelFolder(dir, { force: options.force });
  let result: TrainProjectResult & { trained: TrainedModel };
  try {
    result = await trainInto(folder.partial, dir, loaded, { ...options, model, id, started });
    options.signal?.throwIfAborted();
  } catch (error) {
    await folder.discard();
    throw error;
  }
  await folder.commit();
  await options.store.save(result.run);
  options.logger.info(
    `model saved to ${dir} (run ${id}, ${result.trained.epochs} epochs on ${result.trained.backend})`,
  );
  return result;
}

async function trainInto(
  partial: string,
  dir: string,
  loaded: LoadedConfig,
  options: TrainProjectOptions & { model: LoadedConfig["config"]["model"]; id: string; started: Date },
): Promise<TrainProjectResult & { trained: TrainedModel }> {
  const { config } = loaded;
  const { model, id, started } = options;
  const data =
    options.data ??
    (await options.logger.group("read data", () =>
      loadProjectData(loaded, { cwd: options.cwd, logger: options.logger }),
    ));
  options.signal?.throwIfAborted();
  options.logger.info(`training on ${data.info.train.rows} rows (${data.info.train.file})`);

  const trained = await options.logger.group("train", () =>
    trainModel(data.train, model, {
      target: config.data.target,
      features: config.data.features,
      id: config.data.id,
      missing: config.data.missing,
      dates: config.data.dates,
      logger: options.logger,
      backend: options.backend,
      source: {
        ...(data.trainFile ? { file: data.trainFile } : {}),
        ...(data.train.lines ? { lines: data.train.lines } : {}),
        ...(data.train.files ? { files: data.train.files } : {}),
      },
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  const last = trained.history.at(-1);
  // The options name the run's commit (git) and the sweep or run it belongs to (parent).
  const run = finishedRun(
    { ...options, id, name: config.name, kind: options.kind ?? "train", started },
    {
      params: { ...model },
      history: trained.history.map((h) => ({
        epoch: h.epoch,
        loss: h.loss,
        ...(h.valLoss === null ? {} : { valLoss: h.valLoss }),
      })),
      metrics: {
        loss: last?.loss ?? Number.NaN,
        ...(last?.valLoss == null
          ? {}
          : { val_loss: trained.history[trained.bestEpoch - 1]?.valLoss ?? last.valLoss }),
        epochs: trained.epochs,
        best_epoch: trained.bestEpoch,
      },
      data: { train: { ...data.info.train, file: data.info.train.file }, test: data.info.test },
      backend: trained.backend,
      tags: {},
    },
  );
  run.model = dir;
  await saveModel(partial, trained, run);
  await writeFile(path.join(partial, REFERENCE_PROFILE), `${JSON.stringify(profileTable(data.train))}\n`);
  await writeRowIndex(partial, data.train, data.test, config.data.id);
  return { dir, run, trained };
}

/** Row hashes of the training and test data, so evaluate can say which rows a pull request changed. */
async function writeRowIndex(dir: string, train: ColumnTable, test: ColumnTable, id?: string): Promise<void> {
  await writeFile(path.join(dir, DATA_INDEX), `${JSON.stringify(buildRowIndex(train, test, id))}\n`);
}

/** The run goes into the imported model's modelgate.json, as a native run's does: the registry's lineage. */
async function recordRun(dir: string, run: RunRecord): Promise<void> {
  const file = path.join(dir, MANIFEST_JSON);
  let manifest: ModelManifest;
  try {
    manifest = ModelManifest.parse(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    throw new UserError(
      `the imported model's ${MANIFEST_JSON} is not valid: ${error instanceof Error ? error.message.slice(0, 300) : error}`,
      { file },
    );
  }
  await writeFile(file, `${JSON.stringify({ ...manifest, run }, null, 2)}\n`);
}

function commandOptions(options: TrainProjectOptions): Omit<CommandTrainOptions, "data"> {
  const overrides = Object.keys(options.params ?? {});
  if (overrides.length > 0) {
    throw new UserError(
      `model.command trains this project, so model: keys cannot be overridden (${overrides.join(", ")}); set model.params instead`,
      { field: "params" },
    );
  }
  const { cwd, out, logger, store, git, kind, parent, commandParams, env } = options;
  return {
    cwd,
    logger,
    store,
    env: env ?? {},
    ...(out ? { out } : {}),
    ...(git ? { git } : {}),
    ...(kind ? { kind } : {}),
    ...(parent ? { parent } : {}),
    ...(commandParams ? { params: commandParams } : {}),
  };
}

export function profileTable(table: ColumnTable, missing?: readonly string[]) {
  const builder = new ProfileBuilder(table.columns, missing);
  const size = table.data[0]?.length ?? 0;
  const batch: Batch = { columns: table.data, size, lines: table.lines ?? new Int32Array(size), ragged: [] };
  builder.add(batch);
  return builder.finish();
}
