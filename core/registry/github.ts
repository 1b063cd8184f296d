import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors.js";
import { resolveRef, rollbackIn, setAliasIn } from "./aliases.js";
import { collectModelFiles, RESERVED_FILE, sha256, writeVerified } from "./files.js";
import { GitData, type GitHubClient, type TreeEntry } from "./git-data.js";
import { registryLayout } from "./layout.js";
import { parseLineage } from "./lineage.js";
import * as records from "./records.js";
import { AliasIndex, type FileEntry, type Lineage, ModelName, type ModelVersion } from "./schema.js";
import { type AliasMeta, checkModelName, noSuchModel, type RegistryStore } from "./store.js";

export const DEFAULT_BRANCH = "modelgate-registry";
/** GitHub's blob API takes at most 100 MB per blob. */
const MAX_BLOB_BYTES = 100 * 1024 * 1024;

export interface GitHubStoreOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  branch?: string;
  /** Compare-and-swap retries when another writer moved the branch first. */
  retry?: { attempts?: number; baseMs?: number; capMs?: number };
  now?: () => Date;
}

/** A model's files on the branch, by path relative to `models/<name>/`. */
type ModelTree = Map<string, TreeEntry>;

interface Snapshot {
  head: string | undefined;
  root: string | undefined;
}

export function githubStore(options: GitHubStoreOptions): RegistryStore {
  return new GitHubStore(options);
}

/**
 * The registry on an orphan branch, laid out like the local store. Every write is one commit made
 * from blobs and a tree, then a fast-forward-only ref update: a writer that lost the race re-reads
 * the branch and builds its commit again, so concurrent writers lose nothing.
 */
export class GitHubStore implements RegistryStore {
  private readonly git: GitData;

  constructor(private readonly options: GitHubStoreOptions) {
    this.git = new GitData({ ...options, branch: options.branch ?? DEFAULT_BRANCH });
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  async register(name: string, modelDir: string, lineage: Lineage): Promise<ModelVersion> {
    checkModelName(name);
    const checked = parseLineage(lineage);
    const blobs: { path: string; sha: string }[] = [];
    const files: FileEntry[] = [];
    for (const file of await collectModelFiles(modelDir)) {
      if (file.size > MAX_BLOB_BYTES) {
        throw new UserError("GitHub's blob API takes files of at most 100 MB", { file: file.absolute });
      }
      const bytes = await readFile(file.absolute);
      files.push({ path: file.path, size: bytes.length, sha256: sha256(bytes) });
      blobs.push({ path: file.path, sha: await this.git.createBlob(bytes) });
    }
    return this.transact(async (snapshot) => {
      const tree = await this.modelTree(snapshot, name);
      const version = Math.max(0, ...versionsIn(tree)) + 1;
      const record = records.newVersion(checked, { name, version, files, at: this.now() });
      const prefix = registryLayout.version(name, version);
      const index = await this.git.createBlob(Buffer.from(records.text(record)));
      return {
        message: `register ${name} v${version}`,
        files: [
          ...blobs.map((b) => ({ path: `${prefix}/${b.path}`, sha: b.sha })),
          { path: `${prefix}/${RESERVED_FILE}`, sha: index },
        ],
        result: record,
      };
    });
  }

  async list(name?: string): Promise<ModelVersion[]> {
    const snapshot = await this.snapshot();
    const names = name === undefined ? await this.modelNames(snapshot) : [checkModelName(name)];
    const all: ModelVersion[] = [];
    for (const model of names) {
      const tree = await this.modelTree(snapshot, model);
      for (const version of versionsIn(tree)) all.push(await this.readVersion(tree, model, version));
    }
    return all;
  }

  async get(name: string, ref: string): Promise<ModelVersion> {
    const tree = await this.existingModel(await this.snapshot(), name);
    const version = resolveRef(name, ref, versionsIn(tree), (await this.readAliases(tree, name)).aliases);
    return this.readVersion(tree, name, version);
  }

  async aliases(name: string): Promise<Record<string, number>> {
    const tree = await this.existingModel(await this.snapshot(), name);
    return (await this.readAliases(tree, name)).aliases;
  }

  async setAlias(name: string, alias: string, version: number, meta: AliasMeta = {}): Promise<void> {
    await this.updateAliases(name, `set ${alias} of ${name} to v${version}`, (index, versions) => ({
      index: setAliasIn(index, { name, alias, version, versions, at: this.now(), ...meta }),
      result: undefined,
    }));
  }

  async rollback(name: string, alias: string, meta: AliasMeta = {}): Promise<number> {
    return this.updateAliases(name, `roll back ${alias} of ${name}`, (index) =>
      renameResult(rollbackIn(index, { name, alias, at: this.now(), ...meta })),
    );
  }

  async download(name: string, ref: string, destDir: string): Promise<string> {
    const tree = await this.existingModel(await this.snapshot(), name);
    const version = resolveRef(name, ref, versionsIn(tree), (await this.readAliases(tree, name)).aliases);
    const record = await this.readVersion(tree, name, version);
    await mkdir(destDir, { recursive: true });
    for (const entry of record.files) {
      const where = `${this.where(name)}/versions/${version}/${entry.path}`;
      const blob = tree.get(`versions/${version}/${entry.path}`);
      if (blob?.type !== "blob")
        throw new UserError("listed in the version's index but missing", { file: where });
      await writeVerified(await this.git.blob(blob.sha), destDir, entry, where);
    }
    return path.resolve(destDir);
  }

  private where(name: string): string {
    const { owner, repo } = this.options;
    return `${owner}/${repo}@${this.git.target.branch}:${registryLayout.model(name)}`;
  }

  private async snapshot(): Promise<Snapshot> {
    const head = await this.git.head();
    return { head, root: head === undefined ? undefined : await this.git.commitTree(head) };
  }

  private async modelNames(snapshot: Snapshot): Promise<string[]> {
    const models = snapshot.root && (await this.git.lookup(snapshot.root, ["models"]));
    if (!models) return [];
    const entries = await this.git.tree(models);
    return entries
      .filter((e) => e.type === "tree" && ModelName.safeParse(e.path).success)
      .map((e) => e.path)
      .sort();
  }

  private async modelTree(snapshot: Snapshot, name: string): Promise<ModelTree> {
    const sha = snapshot.root && (await this.git.lookup(snapshot.root, ["models", name]));
    if (!sha) return new Map();
    return new Map((await this.git.tree(sha, true)).map((entry) => [entry.path, entry]));
  }

  private async existingModel(snapshot: Snapshot, name: string): Promise<ModelTree> {
    checkModelName(name);
    const tree = await this.modelTree(snapshot, name);
    if (versionsIn(tree).length === 0) throw noSuchModel(name, await this.modelNames(snapshot));
    return tree;
  }

  private async readVersion(tree: ModelTree, name: string, version: number): Promise<ModelVersion> {
    const file = `${this.where(name)}/versions/${version}/${RESERVED_FILE}`;
    const entry = tree.get(`versions/${version}/${RESERVED_FILE}`)!;
    return records.readVersion((await this.git.blob(entry.sha)).toString("utf8"), file, name, version);
  }

  private async readAliases(tree: ModelTree, name: string): Promise<AliasIndex> {
    const entry = tree.get("aliases.json");
    const text = entry && (await this.git.blob(entry.sha)).toString("utf8");
    return records.readAliases(text, `${this.where(name)}/aliases.json`);
  }

  private updateAliases<T>(
    name: string,
    message: string,
    change: (index: AliasIndex, versions: number[]) => { index: AliasIndex; result: T },
  ): Promise<T> {
    return this.transact(async (snapshot) => {
      const tree = await this.existingModel(snapshot, name);
      const { index, result } = change(await this.readAliases(tree, name), versionsIn(tree));
      const sha = await this.git.createBlob(Buffer.from(records.text(AliasIndex.parse(index))));
      return { message, files: [{ path: registryLayout.aliases(name), sha }], result };
    });
  }

  /** One optimistic write: build a commit on the current head, advance the branch, or re-read and retry. */
  private async transact<T>(
    build: (
      snapshot: Snapshot,
    ) => Promise<{ message: string; files: { path: string; sha: string }[]; result: T }>,
  ): Promise<T> {
    const { attempts = 30, baseMs = 20, capMs = 1000 } = this.options.retry ?? {};
    for (let attempt = 0; attempt < attempts; attempt++) {
      const snapshot = await this.snapshot();
      const { message, files, result } = await build(snapshot);
      const tree = await this.git.createTree(snapshot.root, files);
      const commit = await this.git.createCommit(
        `modelgate: ${message}`,
        tree,
        snapshot.head ? [snapshot.head] : [],
      );
      if (await this.git.advance(snapshot.head, commit)) return result;
      // Full jitter: writers that collided spread out instead of colliding again in step.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.random() * Math.min(capMs, baseMs * 2 ** attempt)),
      );
    }
    throw new UserError(
      `branch ${this.git.target.branch} kept moving under ${attempts} attempts to write; too many concurrent writers, try again`,
    );
  }
}

function versionsIn(tree: ModelTree): number[] {
  const versions: number[] = [];
  for (const key of tree.keys()) {
    const match = /^versions\/([1-9]\d*)\/version\.json$/.exec(key);
    if (match) versions.push(Number(match[1]));
  }
  return versions.sort((a, b) => a - b);
}

function renameResult(outcome: { index: AliasIndex; version: number }): {
  index: AliasIndex;
  result: number;
} {
  return { index: outcome.index, result: outcome.version };
}
