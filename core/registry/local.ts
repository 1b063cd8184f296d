import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fsError } from "../errors.js";
import { resolveRef, rollbackIn, setAliasIn } from "./aliases.js";
import { collectModelFiles, copyHashed, copyVerified, RESERVED_FILE } from "./files.js";
import { registryLayout } from "./layout.js";
import { parseLineage } from "./lineage.js";
import { type LockOptions, withLock } from "./lock.js";
import * as records from "./records.js";
import { AliasIndex, type FileEntry, type Lineage, ModelName, type ModelVersion } from "./schema.js";
import { type AliasMeta, checkModelName, noSuchModel, type RegistryStore } from "./store.js";

export interface LocalStoreOptions {
  lock?: LockOptions;
  now?: () => Date;
}

/**
 * The registry in a folder (`.modelgate/`): `models/<name>/versions/<n>/` holds the files and
 * `version.json`, `models/<name>/aliases.json` the aliases. Writers serialise on one lock file per model;
 * file copies happen before the lock is taken, so the lock is held only to pick a number and rename.
 */
export class LocalStore implements RegistryStore {
  constructor(
    readonly root: string,
    private readonly options: LocalStoreOptions = {},
  ) {}

  private modelDir(name: string): string {
    return path.join(this.root, ...registryLayout.model(name).split("/"));
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  async register(name: string, modelDir: string, lineage: Lineage): Promise<ModelVersion> {
    const base = this.modelDir(name);
    const checked = parseLineage(lineage);
    const files = await collectModelFiles(modelDir);
    const versionsDir = path.join(base, "versions");
    await mkdir(versionsDir, { recursive: true });
    const staging = path.join(versionsDir, `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      const entries: FileEntry[] = [];
      for (const file of files) {
        entries.push({
          path: file.path,
          ...(await copyHashed(file.absolute, path.join(staging, file.path))),
        });
      }
      return await withLock(
        path.join(base, ".lock"),
        async () => {
          const version = Math.max(0, ...(await this.versionNumbers(name))) + 1;
          const record = records.newVersion(checked, { name, version, files: entries, at: this.now() });
          await writeFile(path.join(staging, RESERVED_FILE), records.text(record));
          await rename(staging, path.join(versionsDir, String(version)));
          return record;
        },
        this.options.lock,
      );
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  async list(name?: string): Promise<ModelVersion[]> {
    const names = name === undefined ? await this.modelNames() : [checkModelName(name)];
    const all: ModelVersion[] = [];
    for (const model of names) {
      for (const version of await this.versionNumbers(model))
        all.push(await this.readVersion(model, version));
    }
    return all;
  }

  async get(name: string, ref: string): Promise<ModelVersion> {
    const versions = await this.existingVersions(name);
    const version = resolveRef(name, ref, versions, (await this.readAliases(name)).aliases);
    return this.readVersion(name, version);
  }

  async aliases(name: string): Promise<Record<string, number>> {
    await this.existingVersions(name);
    return (await this.readAliases(name)).aliases;
  }

  async setAlias(name: string, alias: string, version: number, meta: AliasMeta = {}): Promise<void> {
    const versions = await this.existingVersions(name);
    await this.updateAliases(name, (index) =>
      setAliasIn(index, { name, alias, version, versions, at: this.now(), ...meta }),
    );
  }

  async rollback(name: string, alias: string, meta: AliasMeta = {}): Promise<number> {
    await this.existingVersions(name);
    let target = 0;
    await this.updateAliases(name, (index) => {
      const result = rollbackIn(index, { name, alias, at: this.now(), ...meta });
      target = result.version;
      return result.index;
    });
    return target;
  }

  async download(name: string, ref: string, destDir: string): Promise<string> {
    const record = await this.get(name, ref);
    const versionDir = path.join(this.modelDir(name), "versions", String(record.version));
    await mkdir(destDir, { recursive: true });
    for (const entry of record.files) {
      await copyVerified(path.join(versionDir, ...entry.path.split("/")), destDir, entry);
    }
    return path.resolve(destDir);
  }

  private async modelNames(): Promise<string[]> {
    const entries = await readdir(path.join(this.root, "models")).catch(() => []);
    return entries.filter((entry) => ModelName.safeParse(entry).success).sort();
  }

  private async versionNumbers(name: string): Promise<number[]> {
    const entries = await readdir(path.join(this.modelDir(name), "versions")).catch(() => []);
    return entries
      .filter((entry) => /^[1-9]\d*$/.test(entry))
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async existingVersions(name: string): Promise<number[]> {
    const versions = await this.versionNumbers(name);
    if (versions.length === 0) throw noSuchModel(name, await this.modelNames());
    return versions;
  }

  private async readVersion(name: string, version: number): Promise<ModelVersion> {
    const file = path.join(this.modelDir(name), "versions", String(version), RESERVED_FILE);
    const text = await readFile(file, "utf8").catch((error: unknown) => {
      throw fsError(error, file);
    });
    return records.readVersion(text, file, name, version);
  }

  private async readAliases(name: string): Promise<AliasIndex> {
    const file = path.join(this.modelDir(name), "aliases.json");
    const text = await readFile(file, "utf8").catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw fsError(error, file);
    });
    return records.readAliases(text, file);
  }

  private async updateAliases(name: string, change: (index: AliasIndex) => AliasIndex): Promise<void> {
    const base = this.modelDir(name);
    await withLock(
      path.join(base, ".lock"),
      async () => {
        const next = AliasIndex.parse(change(await this.readAliases(name)));
        const file = path.join(base, "aliases.json");
        const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
        await writeFile(temp, records.text(next));
        await rename(temp, file);
      },
      this.options.lock,
    );
  }
}
