import { cp, mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { ParamValue } from "../config/command.js";
import { type LoadedConfig, resolveFrom } from "../config/index.js";
import type { ColumnTable } from "../data/split.js";
import { UserError } from "../errors.js";
import { MANIFEST_JSON } from "../model/io.js";
import type { Logger } from "../ports.js";
import { finishedRun, RunStore } from "../tracking/index.js";
import type { RunRecord } from "../tracking/schema.js";
import { resolveParams } from "./params.js";
import { runCommand } from "./run.js";

export { ParamSpec, ParamSpecs, type ParamValue } from "../config/command.js";
export { resolveParams } from "./params.js";
export { fillPlaceholders, runCommand } from "./run.js";

export const DEFAULT_TIMEOUT_S = 3600;

/** What the run record keeps of a data part (core/pipeline/dataset.ts's DataPartInfo). */
interface DataPart {
  file: string;
  rows: number;
  fingerprint: string;
}

export interface CommandTrainOptions {
  cwd: string;
  /** Model folder; default .modelgate/artifacts/<run id>/model under the project. */
  out?: string;
  logger: Logger;
  store: RunStore;
  git?: { commit: string; dirty: boolean };
  /** Values for model.params (a retrain comment, the train step's `params`): declared names only. */
  params?: Record<string, unknown>;
  /** The environment the program inherits, from the door. */
  env: Record<string, string | undefined>;
  /**
   * Imports a model the program wrote in another format (an .onnx file, a tfjs folder) into `out`: the
   * model-format layer's import (core/pipeline/import.ts), handed in so this folder stays below pipeline.
   */
  importModel?: (source: string, out: string) => Promise<void>;
  /** The project's train and test data, read by the caller (core/pipeline/dataset.ts). */
  data: { train: ColumnTable; info: { train: DataPart; test: DataPart } };
  kind?: RunRecord["kind"];
  parent?: string;
}

/**
 * A training run of the project's own program (model.command): the program writes a model into a
 * fresh folder, modelgate imports it and records the run (command, params, data fingerprints, commit,
 * duration) as it does a native one.
 */
export async function trainWithCommand(
  loaded: LoadedConfig,
  options: CommandTrainOptions,
): Promise<{ dir: string; run: RunRecord; train: ColumnTable }> {
  const { config } = loaded;
  const command = config.model.command;
  if (!command) throw new Error("trainWithCommand needs model.command");
  const params = resolveParams(config.model.params ?? {}, options.params ?? {});
  const started = new Date();
  const id = RunStore.newId(started);
  const dir = options.out ?? path.join(options.store.root, "artifacts", id, "model");
  const written = path.join(options.store.root, "artifacts", id, "command-output");
  await mkdir(written, { recursive: true });
  // The program's own output folder goes whatever happens: imported into `dir`, or refused.
  try {
    return await runAndImport(loaded, options, { id, started, params, dir, written });
  } finally {
    await rm(written, { recursive: true, force: true });
  }
}

async function runAndImport(
  loaded: LoadedConfig,
  options: CommandTrainOptions,
  at: { id: string; started: Date; params: Record<string, ParamValue>; dir: string; written: string },
): Promise<{ dir: string; run: RunRecord; train: ColumnTable }> {
  const { config } = loaded;
  const command = config.model.command!;
  const { id, started, params, dir, written } = at;
  const data = options.data;
  const result = await options.logger.group("train (model.command)", () =>
    runCommand({
      command,
      cwd: loaded.root,
      values: {
        train: resolveFrom(loaded.root, config.data.train),
        ...(config.data.test ? { test: resolveFrom(loaded.root, config.data.test) } : {}),
        out: written,
        target: config.data.target,
      },
      params,
      timeoutMs: (config.model.timeout ?? DEFAULT_TIMEOUT_S) * 1000,
      env: options.env,
      logger: options.logger,
    }),
  );
  await importCommandOutput(written, dir, options.importModel);
  // The options name the run's commit (git) and the sweep or run it belongs to (parent).
  const run = finishedRun(
    { ...options, id, name: config.name, kind: options.kind ?? "train", started },
    {
      params,
      command: result.argv,
      history: [],
      metrics: {},
      data: { train: data.info.train, test: data.info.test },
      backend: "command",
      model: dir,
      tags: {},
    },
  );
  await options.store.save(run);
  options.logger.info(
    `model imported to ${dir} (run ${id}, program ran ${Math.round(result.durationMs / 1000)} s)`,
  );
  return { dir, run, train: data.train };
}

/**
 * The program's output folder made a modelgate model folder at `dir`: a modelgate model folder (one with
 * modelgate.json) is taken as written; one .onnx file, or a TensorFlow.js model folder (model.json), is
 * imported through the model-format layer (scored on the project's rows, hashed, with lineage).
 */
export async function importCommandOutput(
  written: string,
  dir: string,
  importModel?: (source: string, out: string) => Promise<void>,
): Promise<void> {
  const has = (name: string) =>
    stat(path.join(written, name)).then(
      (s) => s.isFile(),
      () => false,
    );
  if (await has(MANIFEST_JSON)) {
    // `dir` is empty, or the user passed --force (the caller refused anything else): replaced, never mixed.
    await rm(dir, { recursive: true, force: true });
    await cp(written, dir, { recursive: true });
    await rm(written, { recursive: true, force: true });
    return;
  }
  const onnx = (await readdir(written)).filter((name) => name.endsWith(".onnx"));
  const source =
    onnx.length === 1 ? path.join(written, onnx[0]!) : (await has("model.json")) ? written : undefined;
  if (!source || !importModel) {
    throw new UserError(
      onnx.length > 1
        ? `the program wrote ${onnx.length} .onnx files (${onnx.slice(0, 3).join(", ")}); write one model to {out}`
        : `the program wrote no model into {out}: expected a modelgate model folder (${MANIFEST_JSON}), one .onnx file, or a TensorFlow.js model folder (model.json)`,
      { file: written, field: "model.command" },
    );
  }
  await importModel(source, dir);
  await rm(written, { recursive: true, force: true });
}
