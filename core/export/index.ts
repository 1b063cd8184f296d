import { randomBytes } from "node:crypto";
import { link, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fsError, UserError } from "../errors.js";
import { type LoadedModel, loadModel, MANIFEST_JSON } from "../model/io.js";
import { type Logger, silentLogger } from "../ports.js";
import { toOnnx } from "./onnx/index.js";
import { DataType, type ValueInfo } from "./onnx/proto.js";

/** An export format: turns a loaded modelgate model into one file's bytes. */
export interface ExportFormat {
  name: string;
  extension: string;
  summary: string;
  write(
    model: LoadedModel,
    options: { producerVersion: string; file: string },
  ): { bytes: Uint8Array; inputs: ValueInfo[]; outputs: ValueInfo[] };
}

export const EXPORT_FORMATS = new Map<string, ExportFormat>([
  [
    "onnx",
    {
      name: "onnx",
      extension: ".onnx",
      summary: "ONNX (opset 17 + ai.onnx.ml 3), preprocessing included",
      write: (model, options) => toOnnx(model, options),
    },
  ],
]);

export function exportFormat(name: string, field: string): ExportFormat {
  const format = EXPORT_FORMATS.get(name);
  if (!format) {
    throw new UserError(
      `unknown format '${name}'; expected one of: ${[...EXPORT_FORMATS.keys()].join(", ")}`,
      {
        field,
      },
    );
  }
  return format;
}

export interface ExportRequest {
  modelDir: string;
  format: ExportFormat;
  /** Default: the model folder's name plus the format's extension, in `cwd`. */
  out?: string;
  cwd: string;
  /** Replace an existing file at `out`. */
  force: boolean;
  producerVersion: string;
  logger?: Logger;
}

export interface ExportResult {
  file: string;
  format: string;
  bytes: number;
  inputs: Array<{ name: string; type: string }>;
  outputs: Array<{ name: string; type: string }>;
}

/** Reads a model folder (untrusted: loadModel checks it) and writes it in another format. */
export async function exportModel(request: ExportRequest): Promise<ExportResult> {
  const modelDir = path.resolve(request.cwd, request.modelDir);
  await requireModelFolder(modelDir);
  const file = path.resolve(
    request.cwd,
    request.out ?? `${path.basename(modelDir)}${request.format.extension}`,
  );
  if (!request.force && (await exists(file))) {
    throw new UserError("the file exists; pass --force to replace it", { file });
  }
  const loaded = await loadModel(modelDir, { logger: request.logger ?? silentLogger });
  const written = request.format.write(loaded, {
    producerVersion: request.producerVersion,
    file: path.join(modelDir, MANIFEST_JSON),
  });
  await mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
    throw fsError(error, path.dirname(file));
  });
  await writeWhole(file, written.bytes, request.force);
  return {
    file,
    format: request.format.name,
    bytes: written.bytes.byteLength,
    inputs: written.inputs.map(typeOf),
    outputs: written.outputs.map(typeOf),
  };
}

const TYPE_NAMES: Record<DataType, string> = {
  [DataType.float]: "float32",
  [DataType.int64]: "int64",
  [DataType.string]: "string",
  [DataType.bool]: "bool",
  [DataType.double]: "float64",
};
const typeOf = (v: ValueInfo) => ({ name: v.name, type: `${TYPE_NAMES[v.type]}[${v.shape.join(", ")}]` });

async function requireModelFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch((error: unknown) => {
    throw fsError(error, dir);
  });
  if (!info.isDirectory()) throw new UserError("not a folder; expected a model folder", { file: dir });
  if (!(await exists(path.join(dir, MANIFEST_JSON)))) {
    throw new UserError(
      `not a modelgate model folder (no ${MANIFEST_JSON}); expected a folder written by 'modelgate train'`,
      { file: dir },
    );
  }
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * The file appears whole or not at all: written beside its final name, then moved there. Without `force`
 * an existing file is never replaced, even one that appeared while the model was converted (link fails).
 */
async function writeWhole(file: string, bytes: Uint8Array, force: boolean): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, bytes, { flag: "wx" });
    if (force) await rename(temp, file);
    else await link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new UserError("the file exists; pass --force to replace it", { file });
    throw error instanceof UserError ? error : fsError(error, file);
  } finally {
    await rm(temp, { force: true });
  }
}
