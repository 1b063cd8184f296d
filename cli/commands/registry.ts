import path from "node:path";
import { Octokit } from "octokit";
import { z } from "zod";
import { ExitCode, UserError } from "../../core/errors.js";
import { parseAt } from "../../core/parse.js";
import { evaluateProject } from "../../core/pipeline/evaluate.js";
import {
  checkModelFolder,
  type ModelVersion,
  openRegistry,
  type RegistryStore,
  registerModel,
} from "../../core/registry/index.js";
import { renderVersion, renderVersionTable, shortFingerprint } from "../../core/registry/render.js";
import { RunStore } from "../../core/tracking/index.js";
import { printJson, projectConfig, requirePositional, stringFlag } from "../common.js";
import type { Command, Context, Flags } from "../context.js";
import { storeRoot } from "./model.js";

const GitHubEnv = z.object({
  GITHUB_TOKEN: z
    .string()
    .min(
      1,
      "set GITHUB_TOKEN to a token that may read the repository's contents (and write them for register, promote, rollback)",
    ),
  GITHUB_REPOSITORY: z.string().optional(),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  GITHUB_ACTOR: z.string().optional(),
  USER: z.string().optional(),
});

const SUBCOMMANDS = ["list", "show", "promote", "rollback", "register"] as const;

export const registryCommand: Command = {
  name: "registry",
  summary: "model versions and aliases (champion, challenger, ...): list, show, promote, rollback, register",
  usage:
    "registry list [NAME] | show NAME REF | promote NAME VERSION [--alias A] [--reason TEXT] | rollback NAME [--alias A] | register DIR [--name NAME]",
  details: [
    "REF is a version (3 or v3) or an alias. --alias defaults to champion.",
    "The store is the config's registry.store: local (registry.path, default .modelgate/ beside the config)",
    "or github (branch modelgate-registry; needs GITHUB_TOKEN, and GITHUB_REPOSITORY or --repo owner/name;",
    "GITHUB_API_URL points at GitHub Enterprise).",
  ],
  flags: {
    alias: { type: "string" },
    reason: { type: "string" },
    name: { type: "string" },
    repo: { type: "string" },
  },
  async run(positionals, flags, ctx) {
    const [sub, ...args] = positionals;
    if (!isSubcommand(sub)) {
      throw new UserError(`expected one of ${SUBCOMMANDS.join(", ")}, found '${sub ?? ""}'`, {
        field: "--subcommand",
      });
    }
    const { store } = await openStore(ctx, flags);
    return SUBCOMMAND_RUNS[sub]({ args, flags, ctx, store, alias: stringFlag(flags, "alias") ?? "champion" });
  },
};

type Subcommand = (typeof SUBCOMMANDS)[number];
const isSubcommand = (sub: string | undefined): sub is Subcommand => SUBCOMMANDS.includes(sub as Subcommand);

interface SubcommandRun {
  args: string[];
  flags: Flags;
  ctx: Context;
  store: RegistryStore;
  alias: string;
}

const SUBCOMMAND_RUNS: Record<Subcommand, (run: SubcommandRun) => Promise<number>> = {
  async list({ args, ctx, store }) {
    const versions = await store.list(args[0]);
    const names = [...new Set(versions.map((v) => v.name))];
    const aliases = new Map(await Promise.all(names.map(async (n) => [n, await store.aliases(n)] as const)));
    if (ctx.json) printJson(ctx, { versions, aliases: Object.fromEntries(aliases) });
    else ctx.io.stdout.write(renderVersionTable(versions, aliases));
    return ExitCode.ok;
  },
  async show({ args, ctx, store }) {
    const name = requirePositional(args, 0, "NAME");
    const version = await store.get(name, requirePositional(args, 1, "REF"));
    const aliases = await store.aliases(name);
    if (ctx.json)
      printJson(ctx, {
        ...version,
        aliases: Object.keys(aliases).filter((a) => aliases[a] === version.version),
      });
    else ctx.io.stdout.write(renderVersion(version, aliases));
    return ExitCode.ok;
  },
  async promote({ args, flags, ctx, store, alias }) {
    const name = requirePositional(args, 0, "NAME");
    const { version } = await store.get(name, requirePositional(args, 1, "VERSION"));
    const previous = (await store.aliases(name))[alias];
    await store.setAlias(name, alias, version, meta(ctx, flags));
    if (ctx.json) printJson(ctx, { name, alias, version, previous: previous ?? null });
    else ctx.io.stdout.write(`${name}: ${alias} -> v${version}${previous ? ` (was v${previous})` : ""}\n`);
    return ExitCode.ok;
  },
  async rollback({ args, flags, ctx, store, alias }) {
    const name = requirePositional(args, 0, "NAME");
    const version = await store.rollback(name, alias, meta(ctx, flags));
    if (ctx.json) printJson(ctx, { name, alias, version });
    else ctx.io.stdout.write(`${name}: ${alias} rolled back to v${version}\n`);
    return ExitCode.ok;
  },
  async register({ args, flags, ctx, store }) {
    const dir = requirePositional(args, 0, "DIR");
    const record = await registerFolder(ctx, store, path.resolve(ctx.io.cwd, dir), stringFlag(flags, "name"));
    if (ctx.json) printJson(ctx, record);
    else {
      const scored = Object.keys(record.metrics).filter((m) => !TRAINING_METRICS.has(m));
      ctx.io.stdout.write(
        `registered ${record.name} v${record.version} (${record.files.length} files; ` +
          `${scored.length > 0 ? `evaluated: ${scored.length} metrics on test data ${shortFingerprint(record.dataFingerprints?.test)}` : "not evaluated"})\n`,
      );
    }
    return ExitCode.ok;
  },
};

const meta = (ctx: Context, flags: Flags) => ({ by: actor(ctx), reason: stringFlag(flags, "reason") });

/**
 * `registry register DIR`: checked by registerModel (a model of this project, finite weights), and
 * scored on the project's test rows first when the name is the project's, so the version carries
 * evaluation metrics and the test data's fingerprint like every other way in.
 */
async function registerFolder(
  ctx: Context,
  store: RegistryStore,
  modelDir: string,
  nameFlag: string | undefined,
): Promise<ModelVersion> {
  const loaded = await projectConfig(ctx, false);
  const name = nameFlag ?? loaded?.config.name;
  if (!name)
    throw new UserError("no model name: pass --name NAME or set name in modelgate.yml", {
      field: "--name",
    });
  const ours = loaded && loaded.config.name === name ? loaded : undefined;
  const project = ours
    ? {
        name,
        target: ours.config.data.target,
        ...(ours.config.model.task ? { task: ours.config.model.task } : {}),
      }
    : { name };
  // Checked before scoring too: evaluating a folder of CSVs would fail with a less useful message.
  await checkModelFolder(modelDir, project);
  const evaluation = ours
    ? await evaluateProject(ours, {
        cwd: ctx.io.cwd,
        modelDir,
        logger: ctx.logger,
        store: new RunStore(storeRoot(ours)),
      }).then(({ report }) => ({ metrics: report.metrics, testFingerprint: report.data.test?.fingerprint }))
    : undefined;
  return registerModel({ store, modelDir, project, evaluation, logger: ctx.logger });
}

const TRAINING_METRICS = new Set(["loss", "val_loss", "epochs", "best_epoch"]);

export async function openStore(
  ctx: Context,
  flags: Flags,
): Promise<{ store: RegistryStore; defaultName?: string }> {
  const loaded = await projectConfig(ctx, false);
  const config = loaded?.config.registry ?? { store: "local" as const, path: ".modelgate" };
  const root = loaded?.root ?? ctx.io.cwd;
  if (config.store === "local")
    return { store: openRegistry(config, { root }), defaultName: loaded?.config.name };
  const env = parseAt(GitHubEnv, ctx.io.env, { what: "the environment" });
  const repository = stringFlag(flags, "repo") ?? env.GITHUB_REPOSITORY;
  if (!repository)
    throw new UserError("which repository? pass --repo owner/name or set GITHUB_REPOSITORY", {
      field: "--repo",
    });
  const octokit = new Octokit({
    auth: env.GITHUB_TOKEN,
    baseUrl: env.GITHUB_API_URL.replace(/\/$/, ""),
  });
  return { store: openRegistry(config, { root, octokit, repository }), defaultName: loaded?.config.name };
}

function actor(ctx: Context): string | undefined {
  const value = ctx.io.env.GITHUB_ACTOR ?? ctx.io.env.USER;
  return value && value.length <= 200 ? value : undefined;
}
