import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { UserError } from "../errors.js";
import { statusOf } from "../github.js";
import { loadPredictor } from "../model/index.js";
import type { Logger } from "../ports.js";
import { collectModelFiles } from "../registry/files.js";
import {
  type GitHubClient,
  type ModelVersion,
  type RegistryStore,
  registerModel,
} from "../registry/index.js";
import type { Report } from "../report/index.js";
import { renderModelCard } from "./card.js";
import { tarGz } from "./tar.js";

export { renderModelCard } from "./card.js";
export { tarGz } from "./tar.js";

export interface PublishOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  tag: string;
  modelDir: string;
  name: string;
  store: RegistryStore;
  /** Moved to the published version (default champion). */
  alias?: string;
  report?: Report;
  logger: Logger;
  actor?: string;
  /** Create the release at this commit when the tag has none (a dispatched `/modelgate promote`). */
  createAt?: string;
}

export interface PublishResult {
  version: number;
  registered: boolean;
  aliasMoved: boolean;
  assets: Array<{ name: string; uploaded: boolean; size: number }>;
}

const Asset = z.object({ id: z.number(), name: z.string(), size: z.number(), digest: z.string().nullish() });
const Release = z.object({
  id: z.number(),
  upload_url: z.string().url(),
  html_url: z.string().optional(),
  assets: z.array(Asset),
});
type Release = z.infer<typeof Release>;

/**
 * Publishes a model with a release: registers it (or finds the identical version already there),
 * uploads the packed model and its card as release assets, moves the alias. Every step checks
 * before it writes, so running it again for the same release changes nothing.
 */
export async function publishModel(options: PublishOptions): Promise<PublishResult> {
  const { client, owner, repo, name, logger } = options;
  // The release is looked up first: a wrong tag should fail before anything is written.
  const release = await getRelease(client, owner, repo, options.tag, options.createAt, logger);
  // Any kind loads through the format layer: a folder that cannot load is never published.
  const loaded = await loadPredictor(options.modelDir, { logger });
  const contents = await readModelFiles(options.modelDir);
  const { version, registered } = await registerOnce(options, contents);
  const aliasMoved = await moveAlias(options, version);

  const card = renderModelCard({
    name,
    manifest: loaded.manifest,
    version,
    report: options.report,
    release: options.tag,
  });
  loaded.dispose();
  const assets = [
    { name: `${name}-model.tar.gz`, data: tarGz(contents), type: "application/gzip" },
    { name: `${name}-model-card.md`, data: Buffer.from(card), type: "text/markdown" },
  ];
  const result: PublishResult["assets"] = [];
  for (const asset of assets) result.push(await uploadAsset(options, release, asset));
  return { version: version.version, registered, aliasMoved, assets: result };
}

type ModelFile = { name: string; data: Buffer };

async function readModelFiles(dir: string): Promise<ModelFile[]> {
  const files = await collectModelFiles(dir);
  return Promise.all(files.map(async (f) => ({ name: f.path, data: await readFile(f.absolute) })));
}

/** The registry's version with these very files, or a new one registered with the report's evaluation. */
async function registerOnce(
  options: PublishOptions,
  contents: ModelFile[],
): Promise<{ version: ModelVersion; registered: boolean }> {
  const { store, name, logger } = options;
  const hashes = new Map(contents.map((f) => [f.name, sha256(f.data)]));
  const existing = await findIdentical(store, name, hashes);
  const version =
    existing ??
    (await registerModel({
      store,
      modelDir: options.modelDir,
      project: { name },
      ...(options.report
        ? {
            evaluation: {
              metrics: options.report.metrics,
              testFingerprint: options.report.data.test?.fingerprint,
            },
          }
        : {}),
      source: `release ${options.tag}`,
      logger,
    }));
  logger.info(
    existing ? `${name} v${version.version} is already registered` : `registered ${name} v${version.version}`,
  );
  return { version, registered: existing === undefined };
}

/** Points the alias (default champion) at the version; false when it already did. */
async function moveAlias(options: PublishOptions, version: ModelVersion): Promise<boolean> {
  const { store, name } = options;
  const alias = options.alias ?? "champion";
  const aliases = await store.aliases(name);
  if (aliases[alias] === version.version) return false;
  await store.setAlias(name, alias, version.version, { by: options.actor, reason: `release ${options.tag}` });
  options.logger.info(`${alias} -> ${name} v${version.version}`);
  return true;
}

/** Uploads an asset unless the release has it already with the same size and digest; replaces a stale one. */
async function uploadAsset(
  options: PublishOptions,
  release: Release,
  asset: ModelFile & { type: string },
): Promise<PublishResult["assets"][number]> {
  const { client, owner, repo } = options;
  const digest = `sha256:${sha256(asset.data)}`;
  const current = release.assets.find((a) => a.name === asset.name);
  const same =
    current && current.size === asset.data.length && (current.digest == null || current.digest === digest);
  if (same) return { name: asset.name, uploaded: false, size: asset.data.length };
  if (current)
    await client.request("DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}", {
      owner,
      repo,
      asset_id: current.id,
    });
  await client.request({
    method: "POST",
    url: release.upload_url,
    name: asset.name,
    data: asset.data,
    headers: { "content-type": asset.type, "content-length": asset.data.length },
  });
  options.logger.info(`uploaded ${asset.name} (${asset.data.length} bytes) to release ${options.tag}`);
  return { name: asset.name, uploaded: true, size: asset.data.length };
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

async function findIdentical(
  store: RegistryStore,
  name: string,
  hashes: Map<string, string>,
): Promise<ModelVersion | undefined> {
  const versions = await store.list(name).catch(() => []);
  return versions.find(
    (v) => v.files.length === hashes.size && v.files.every((f) => hashes.get(f.path) === f.sha256),
  );
}

async function getRelease(
  client: GitHubClient,
  owner: string,
  repo: string,
  tag: string,
  createAt: string | undefined,
  logger: Logger,
): Promise<Release> {
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/releases/tags/{tag}", {
      owner,
      repo,
      tag,
    });
    return Release.parse(response.data);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    if (!createAt) throw new UserError(`no release with tag '${tag}' in ${owner}/${repo}`, { field: "tag" });
  }
  const created = await client.request("POST /repos/{owner}/{repo}/releases", {
    owner,
    repo,
    tag_name: tag,
    target_commitish: createAt,
    name: tag,
    body: "Published by modelgate.",
    // Created at a promoted commit (a pull request's head): never marked the repository's latest release.
    make_latest: "false",
  });
  logger.info(`created release ${tag} at ${createAt.slice(0, 12)}`);
  return Release.parse(created.data);
}
