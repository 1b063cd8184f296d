import path from "node:path";
import { ExitCode, UserError } from "../../core/errors.js";
import type { ModelManifest } from "../../core/model/index.js";
import { createModelServer, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT } from "../../core/serve/index.js";
import { intFlag, projectConfig, stringFlag } from "../common.js";
import type { Command, Context } from "../context.js";
import { removeTempFolder, tempFolder } from "../temp.js";
import { openStore } from "./registry.js";

export const serveCommand: Command = {
  name: "serve",
  summary: "serve a model over HTTP (TF Serving v1, Open Inference Protocol v2, MLflow, /metrics)",
  usage:
    "serve (--model DIR | --alias ALIAS) [--port 8080] [--host 127.0.0.1] [--name NAME] [--log FILE] [--max-body BYTES]",
  details: [
    "Raw feature values go in; the preprocessing saved with the model is applied. NAME defaults to the",
    "project name in the model's run record, else the config's name, else 'model'.",
    "--log appends every prediction to FILE as JSON Lines (rotated at 100 MiB).",
    "Ctrl-C or SIGTERM finishes the requests in flight and stops; SIGHUP reloads the model folder.",
    "--alias serves the registry version an alias (champion, ...) points at, and follows the alias when",
    "it moves (checked every --poll seconds, default 30, and on SIGHUP).",
  ],
  flags: {
    model: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    name: { type: "string" },
    log: { type: "string" },
    "max-body": { type: "string" },
    alias: { type: "string" },
    poll: { type: "string" },
  },
  async run(_positionals, flags, ctx) {
    const model = stringFlag(flags, "model");
    const alias = stringFlag(flags, "alias");
    if (!model && !alias)
      throw new UserError("missing --model DIR (a folder written by `modelgate train`) or --alias NAME", {
        field: "--model",
      });
    const port = intFlag(flags, "port", { min: 0, fallback: DEFAULT_PORT })!;
    if (port > 65535) throw new UserError(`expected a port up to 65535, found ${port}`, { field: "--port" });
    const asked = stringFlag(flags, "name");
    const projectName = (await projectConfig(ctx, false))?.config.name;
    const log = stringFlag(flags, "log");
    const source = alias
      ? {
          loader: await aliasLoader(ctx, asked ?? projectName ?? "model", alias),
          pollIntervalMs: 1000 * (intFlag(flags, "poll", { fallback: 30 }) ?? 30),
        }
      : { modelDir: path.resolve(ctx.io.cwd, model!) };
    const server = await createModelServer({
      ...source,
      ...(asked ? { name: asked } : {}),
      ...(projectName ? { defaultName: projectName } : {}),
      logger: ctx.logger,
      host: stringFlag(flags, "host") ?? "127.0.0.1",
      port,
      maxBodyBytes: intFlag(flags, "max-body", { fallback: DEFAULT_MAX_BODY_BYTES })!,
      ...(log ? { predictionLog: { file: path.resolve(ctx.io.cwd, log) } } : {}),
    });
    const { manifest, name } = server.model();
    if (ctx.json)
      ctx.io.stdout.write(`${JSON.stringify({ url: server.url, name, version: server.model().version })}\n`);
    else ctx.io.stdout.write(banner(server.url, name, manifest));
    await untilStopped(
      () => server.close(),
      () =>
        server.reload().then(
          () => ctx.logger.info(`reloaded ${model ?? alias}: version ${server.model().version}`),
          (error: unknown) =>
            ctx.logger.error(`reload failed, still serving the old model: ${(error as Error).message}`),
        ),
    );
    return ExitCode.ok;
  },
};

/** Downloads the version an alias points at; the server polls it and reloads when the alias moves. */
async function aliasLoader(ctx: Context, name: string, alias: string) {
  const { store } = await openStore(ctx, {});
  let current: { dir: string; version: string } | undefined;
  return async () => {
    const version = await store.get(name, alias);
    if (current?.version === String(version.version)) return current;
    const dir = await store.download(name, String(version.version), await tempFolder("mg-serve-"));
    // The previous version was loaded into memory long ago: its files can go.
    if (current) await removeTempFolder(current.dir);
    current = { dir, version: String(version.version) };
    return current;
  };
}

/** Resolves after SIGINT/SIGTERM and a graceful close; SIGHUP reloads meanwhile. */
function untilStopped(close: () => Promise<void>, reload: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      process.off("SIGINT", stop).off("SIGTERM", stop).off("SIGHUP", onHup);
      close().then(resolve, reject);
    };
    const onHup = () => void reload();
    process.on("SIGINT", stop).on("SIGTERM", stop).on("SIGHUP", onHup);
  });
}

function banner(url: string, name: string, manifest: ModelManifest): string {
  const example: Record<string, unknown> = {};
  for (const feature of manifest.preprocessor.features) {
    example[feature.name] =
      feature.kind === "numeric"
        ? feature.median
        : feature.kind === "boolean"
          ? true
          : feature.kind === "datetime"
            ? "2024-01-31T12:00"
            : (feature.categories[0] ?? "");
  }
  const row = JSON.stringify(example);
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  return [
    `serving ${name} (${manifest.task}) at ${url}`,
    "",
    `  curl -s ${url}/v1/models/${name}:predict -d ${quote(`{"instances":[${row}]}`)}`,
    `  curl -s ${url}/invocations -H 'content-type: application/json' -d ${quote(`{"dataframe_records":[${row}]}`)}`,
    `  curl -s ${url}/v2/models/${name}`,
    `  curl -s ${url}/metrics`,
    "",
  ].join("\n");
}
