import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LoadedConfig } from "../../core/config/index.js";
import type { Retrained } from "../../core/monitor/index.js";
import { trainProject } from "../../core/pipeline/train.js";
import { RunStore } from "../../core/tracking/index.js";
import { actionsLogger, runnerTemp } from "../runtime.js";

/** Trains on the configured data (or `trainData`) and lays the model out for the pull request. */
export async function retrainFiles(
  loaded: LoadedConfig,
  options: { cwd: string; report: string; model: string; trainData?: string; modelPath?: string },
): Promise<Retrained> {
  const config = options.trainData
    ? {
        ...loaded.config,
        data: { ...loaded.config.data, train: path.resolve(options.cwd, options.trainData) },
      }
    : loaded.config;
  const out = await mkdtemp(path.join(runnerTemp(tmpdir()), "modelgate-retrain-"));
  const store = new RunStore(path.join(loaded.root, loaded.config.registry.path));
  const trained = await trainProject(
    { ...loaded, config },
    { cwd: options.cwd, out, logger: actionsLogger, store, kind: "train" },
  );
  const folder = (options.modelPath ?? `models/${options.model}`).replace(/^\/+|\/+$/g, "");
  const files = [];
  for (const name of (await readdir(out)).sort()) {
    files.push({ path: `${folder}/${name}`, content: await readFile(path.join(out, name)) });
  }
  files.push({ path: `${folder}/drift-report.md`, content: Buffer.from(options.report) });
  const metrics = Object.entries(trained.run.metrics)
    .map(([name, value]) => `| ${name} | ${Number(value.toPrecision(4))} |`)
    .join("\n");
  const body = [
    `Retrained \`${options.model}\` after drift on ${trained.run.data.train?.rows ?? "?"} rows (${config.data.train.replace(/`/g, "")}).`,
    "",
    "| metric | value |",
    "|---|---|",
    metrics,
    "",
    options.report,
  ].join("\n");
  return { files, body };
}
