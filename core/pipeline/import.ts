import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LoadedConfig } from "../config/index.js";
import type { ColumnTable } from "../data/split.js";
import { fsError, UserError } from "../errors.js";
import type { ImportedFormat } from "../model/formats/index.js";
import {
  detectFormat,
  type FormatLoadOptions,
  fitPreprocessor,
  hashFile,
  ImportedManifest,
  loadPredictor,
  MANIFEST_FORMAT,
  MANIFEST_JSON,
  type Preprocessor,
  PreprocessorState,
  resolveSignature,
  signatureColumns,
} from "../model/index.js";
import { MAX_JSON_BYTES, parseJson, readCapped } from "../model/io.js";
import { encodedWidth } from "../model/preprocess.js";
import type { Logger } from "../ports.js";
import { loadProjectData } from "./dataset.js";
import { refuseNonEmpty } from "./model-folder.js";
import { profileTable, REFERENCE_PROFILE } from "./train.js";

export interface ImportModelOptions {
  cwd: string;
  /** An .onnx file, or a TensorFlow.js LayersModel / GraphModel folder. */
  source: string;
  /** The model folder to make; replaced whole only once the import has scored the project's rows. */
  out: string;
  /** A non-empty `out` is refused unless this is set; it is replaced only once the import succeeded. */
  force?: boolean;
  /** Put modelgate's preprocessing in front: a preprocessor JSON, or a model folder's modelgate.json. */
  preprocessor?: string;
  logger: Logger;
  git?: { commit: string; dirty: boolean };
  /** Who imported it (the lineage records it). */
  by?: string;
  load?: FormatLoadOptions;
  now?: Date;
}

export interface ImportModelResult {
  dir: string;
  manifest: ImportedManifest;
  /** Test rows scored before the folder was swapped in. */
  scored: number;
}

/**
 * Turns an external model into a modelgate model folder: copies its files aside, reads its signature
 * (completed by `model.signature`), records hashes and lineage, scores the project's test rows through
 * the format layer, and only then swaps the folder in. Whatever fails leaves nothing behind.
 */
export async function importModel(
  loaded: LoadedConfig,
  options: ImportModelOptions,
): Promise<ImportModelResult> {
  const { config } = loaded;
  // Refused before any work: an existing folder is only ever replaced when the user asked for it.
  await refuseNonEmpty(path.resolve(options.out), { force: options.force });
  const format = await detectFormat(options.source);
  const data = await loadProjectData(loaded, { cwd: options.cwd });
  const given = options.preprocessor
    ? await readPreprocessor(options.preprocessor, config.data.target)
    : undefined;
  const out = path.resolve(options.out);
  // The first folder this import created, if any: removed too when the import fails.
  const created = await mkdir(path.dirname(out), { recursive: true });
  const staging = `${out}.importing-${randomBytes(4).toString("hex")}`;
  try {
    const files = await stageFiles(format, options.source, staging);
    const { signature, preprocessor, backend } = await readSignature(loaded, data.train, {
      ...options,
      format,
      staging,
      given,
    });
    const manifest: ImportedManifest = {
      format: MANIFEST_FORMAT,
      kind: format.kind,
      task: preprocessor.target.task,
      target: preprocessor.target.name,
      features: preprocessor.features.map((f) => ({ name: f.name, kind: f.kind })),
      ...(signature.classes ? { classes: signature.classes } : {}),
      preprocessor,
      signature,
      files: await Promise.all(files.map((f) => hashFile(staging, f.to))),
      lineage: lineageOf(options),
      backend,
    };
    await writeFile(
      path.join(staging, MANIFEST_JSON),
      `${JSON.stringify(ImportedManifest.parse(manifest), null, 2)}\n`,
    );
    await writeFile(path.join(staging, REFERENCE_PROFILE), `${JSON.stringify(profileTable(data.train))}\n`);
    // Scored through the same door evaluate and serve use: what cannot score here never lands.
    const predictor = await loadPredictor(staging, options.load ?? {});
    try {
      await predictor.predict(data.test);
    } finally {
      predictor.dispose();
    }
    await swapIn(staging, out);
    options.logger.info(
      `imported ${format.kind} model ${manifest.lineage.source} -> ${path.relative(options.cwd, out) || "."} (${data.info.test.rows} test rows scored)`,
    );
    return { dir: out, manifest, scored: data.info.test.rows };
  } catch (error) {
    await rm(created ?? staging, { recursive: true, force: true });
    throw error;
  }
}

/** The model's files copied into the staging folder; returns where each came from and went. */
async function stageFiles(
  format: ImportedFormat,
  source: string,
  staging: string,
): Promise<Array<{ from: string; to: string }>> {
  const files = await format.files(source);
  for (const file of files) {
    const to = path.join(staging, file.to);
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(file.from, to).catch((error: unknown) => {
      throw fsError(error, file.from);
    });
  }
  return files;
}

/**
 * The staged model's signature (completed by `model.signature`) and the preprocessing in front of it: the
 * one given, or one fitted on the training rows for the columns the signature reads.
 */
async function readSignature(
  loaded: LoadedConfig,
  train: ColumnTable,
  options: ImportModelOptions & { format: ImportedFormat; staging: string; given?: Preprocessor },
): Promise<{ signature: ImportedManifest["signature"]; preprocessor: Preprocessor; backend: string }> {
  const { config } = loaded;
  const { given, staging } = options;
  const runner = await options.format.open(staging, options.load ?? {}).catch((error: unknown) => {
    throw inSource(error, staging, options.source);
  });
  const fitOn = (features?: string[]) =>
    fitPreprocessor(train, {
      target: config.data.target,
      features,
      id: config.data.id,
      task: config.model.task,
    });
  const all = given ?? fitOn(config.data.features);
  let signature: ImportedManifest["signature"];
  try {
    signature = resolveSignature(runner, config.model.signature, {
      features: all.features.map((f) => f.name),
      columns: train.columns.filter((c) => c !== config.data.target),
      task: all.target.task,
      classes: all.target.task === "classification" ? all.target.classes : undefined,
      ...(given ? { encodedWidth: encodedWidth(given.features) } : {}),
    });
  } finally {
    runner.dispose();
  }
  const fitted: Preprocessor = given ?? fitOn(signatureColumns(signature));
  // The signature's class order (model.signature.classes may reorder them) is what labels encode to.
  const preprocessor: Preprocessor =
    signature.classes && fitted.target.task === "classification"
      ? { ...fitted, target: { ...fitted.target, classes: signature.classes } }
      : fitted;
  return { signature, preprocessor, backend: runner.backend };
}

function lineageOf(options: ImportModelOptions): ImportedManifest["lineage"] {
  return {
    source: sourceName(options.cwd, options.source),
    importedAt: (options.now ?? new Date()).toISOString(),
    ...(options.by ? { importedBy: options.by } : {}),
    ...(options.git ? { commit: options.git.commit } : {}),
  };
}

/** Relative to the working directory (the repository, in CI) when inside it, else absolute. */
function sourceName(cwd: string, source: string): string {
  const absolute = path.resolve(cwd, source);
  const relative = path.relative(cwd, absolute);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? absolute : relative;
}

/** Errors about the staged copy name the user's file instead. */
function inSource(error: unknown, staging: string, source: string): unknown {
  if (!(error instanceof UserError) || !error.location.file?.startsWith(staging)) return error;
  const relative = path.relative(staging, error.location.file);
  const file = source.toLowerCase().endsWith(".onnx") ? source : path.join(source, relative);
  return new UserError(error.message, { ...error.location, file });
}

/** The old folder steps aside, the new one takes its name, then the old one goes. */
async function swapIn(staging: string, out: string): Promise<void> {
  const existing = await stat(out).catch(() => undefined);
  if (!existing) return rename(staging, out);
  const aside = `${out}.replaced-${randomBytes(4).toString("hex")}`;
  await rename(out, aside);
  await rename(staging, out);
  await rm(aside, { recursive: true, force: true });
}

async function readPreprocessor(file: string, target: string): Promise<Preprocessor> {
  const json = parseJson(
    PreprocessorState.or(ImportedManifest.pick({ preprocessor: true }).loose()),
    await readCapped(file, MAX_JSON_BYTES),
    file,
  );
  const prep = "preprocessor" in json ? json.preprocessor : json;
  if (prep.target.name !== target)
    throw new UserError(
      `the preprocessing predicts "${prep.target.name}", the project's target is "${target}"`,
      {
        file,
        field: "target.name",
      },
    );
  return prep;
}
