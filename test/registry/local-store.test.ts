import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { LocalStore, openRegistry } from "../../core/registry/index.js";
import { withLock } from "../../core/registry/lock.js";
import { modelFolder, tempDir } from "./harness.js";

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./register-worker.ts", import.meta.url));

describe("local registry store", () => {
  it("gives 20 writer processes versions 1..20 exactly once and loses no record", async () => {
    const root = await tempDir();
    const dirs = await Promise.all(Array.from({ length: 20 }, (_, i) => modelFolder(i + 1)));

    const outputs = await Promise.all(
      dirs.map((dir, i) => run(process.execPath, ["--import", "tsx", worker, root, dir, `run-${i}`])),
    );

    const results = outputs.map((o) => JSON.parse(o.stdout) as { version: number; runId: string });
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const listed = await new LocalStore(root).list("churn");
    expect(listed.map((v) => [v.version, v.runId])).toEqual(
      results.sort((a, b) => a.version - b.version).map((r) => [r.version, r.runId]),
    );
    expect(await readdir(path.join(root, "models", "churn", "versions"))).toHaveLength(20);
  });

  it("lays a version out as its files plus version.json, and aliases in aliases.json", async () => {
    const root = await tempDir();
    const store = new LocalStore(root, { now: () => new Date("2025-01-02T03:04:05.000Z") });

    await store.register("churn", await modelFolder(1), { metrics: { f1_macro: 0.8 } });
    await store.setAlias("churn", "champion", 1, { by: "alice", reason: "baseline" });

    const base = path.join(root, "models", "churn");
    expect((await readdir(path.join(base, "versions", "1"))).sort()).toEqual([
      "card",
      "model.json",
      "modelgate.json",
      "version.json",
      "weights.bin",
    ]);
    expect(JSON.parse(await readFile(path.join(base, "aliases.json"), "utf8"))).toEqual({
      aliases: { champion: 1 },
      history: [
        {
          alias: "champion",
          action: "set",
          version: 1,
          at: "2025-01-02T03:04:05.000Z",
          by: "alice",
          reason: "baseline",
        },
      ],
    });
  });

  it("refuses a version folder whose record names another version", async () => {
    const root = await tempDir();
    const store = new LocalStore(root);
    const record = await store.register("churn", await modelFolder(1), {});
    await store.register("churn", await modelFolder(2), {});
    const file = path.join(root, "models", "churn", "versions", "2", "version.json");

    await writeFile(file, JSON.stringify(record));

    await expect(store.get("churn", "2")).rejects.toThrow("holds a record of churn v1");
  });

  it("refuses a model folder that brings its own version.json", async () => {
    const dir = await modelFolder(1);
    await writeFile(path.join(dir, "version.json"), "{}");

    await expect(new LocalStore(await tempDir()).register("churn", dir, {})).rejects.toThrow("is reserved");
  });

  it("takes over a lock left by a crashed writer once it is stale, and times out on a live one", async () => {
    const lock = path.join(await tempDir(), ".lock");
    await writeFile(lock, "12345 crashed\n");

    const taken = await withLock(lock, async () => "ran", { staleMs: 0 });
    await writeFile(lock, "12345 busy\n");
    const waited = await withLock(lock, async () => "ran", { timeoutMs: 0 }).catch((e: unknown) => e);

    expect(taken).toBe("ran");
    expect(waited).toBeInstanceOf(UserError);
    expect((waited as UserError).message).toMatch(/locked by another process/);
  });

  it("opens the local store under the config's folder", async () => {
    const root = await tempDir();
    const store = openRegistry({ store: "local", path: "reg" }, { root });

    await store.register("churn", await modelFolder(1), {});

    expect(await readdir(path.join(root, "reg", "models"))).toEqual(["churn"]);
  });

  it("refuses a github store without a token or a repository", () => {
    expect(() => openRegistry({ store: "github" }, { root: "." })).toThrow("needs a GitHub token");
    expect(() =>
      openRegistry(
        { store: "github" },
        { root: ".", octokit: { request: (() => {}) as never }, repository: "nope" },
      ),
    ).toThrow("expected the repository as owner/name, found 'nope'");
  });
});
