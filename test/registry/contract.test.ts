import { createHash } from "node:crypto";
import { readdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { resolveChampion } from "../../core/registry/index.js";
import { type Harness, harnesses, modelFolder, tempDir } from "./harness.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function filesOf(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) Object.assign(out, await filesOf(path.join(dir, entry.name), `${rel}/`));
    else out[rel] = sha256(await readFile(path.join(dir, entry.name)));
  }
  return out;
}

describe.each(harnesses)("registry store contract: %s", (_kind, open) => {
  let h: Harness;
  afterEach(async () => {
    expect(h.fake?.unmatched() ?? []).toEqual([]);
    await h.close();
  });

  it("registers, lists, resolves refs, moves aliases, rolls back and downloads verified files", async () => {
    h = await open();
    const first = await modelFolder(1);
    const second = await modelFolder(2);

    const v1 = await h.store.register("churn", first, {
      metrics: { accuracy: 0.9 },
      runId: "run-1",
      commit: "abc123",
    });
    const v2 = await h.store.register("churn", second, {
      metrics: { accuracy: 0.93 },
      dataFingerprints: { train: "fp-train" },
    });
    await h.store.setAlias("churn", "champion", 1, { by: "alice", reason: "first" });
    await h.store.setAlias("churn", "champion", 2, { by: "bob" });
    await h.store.setAlias("churn", "challenger", 1);
    const before = await h.store.aliases("churn");
    const rolledBackTo = await h.store.rollback("churn", "champion");
    const dest = await h.store.download("churn", "champion", path.join(await tempDir(), "out"));

    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1).toMatchObject({ name: "churn", runId: "run-1", commit: "abc123", metrics: { accuracy: 0.9 } });
    expect(v1.files.map((f) => f.path)).toEqual([
      "card/README.md",
      "model.json",
      "modelgate.json",
      "weights.bin",
    ]);
    expect(Object.fromEntries(v1.files.map((f) => [f.path, f.sha256]))).toEqual(await filesOf(first));
    expect(await h.store.list("churn")).toEqual([v1, v2]);
    expect(await h.store.get("churn", "2")).toEqual(v2);
    expect(await h.store.get("churn", "v1")).toEqual(v1);
    expect(before).toEqual({ champion: 2, challenger: 1 });
    expect(rolledBackTo).toBe(1);
    expect(await h.store.aliases("churn")).toEqual({ champion: 1, challenger: 1 });
    expect(await h.store.get("churn", "champion")).toEqual(v1);
    expect(await resolveChampion(h.store, "churn")).toBe(1);
    expect(await filesOf(dest)).toEqual(await filesOf(first));
  });

  it("keeps models apart and lists them all by name, then version", async () => {
    h = await open();
    const dir = await modelFolder(3);

    await h.store.register("zeta", dir, {});
    await h.store.register("alpha", dir, {});
    await h.store.register("zeta", dir, {});

    expect((await h.store.list()).map((v) => `${v.name}@${v.version}`)).toEqual([
      "alpha@1",
      "zeta@1",
      "zeta@2",
    ]);
    expect(await h.store.list("nothing-here")).toEqual([]);
    expect(await resolveChampion(h.store, "alpha")).toBeUndefined();
    expect(await resolveChampion(h.store, "nothing-here")).toBeUndefined();
  });

  it("refuses unknown versions, aliases and models, naming what exists", async () => {
    h = await open();
    await h.store.register("churn", await modelFolder(1), {});
    await h.store.register("churn", await modelFolder(2), {});
    await h.store.setAlias("churn", "champion", 2);

    await expect(h.store.get("churn", "v9")).rejects.toThrow(
      "model 'churn' has no version v9; versions: v1, v2",
    );
    await expect(h.store.get("churn", "staging")).rejects.toThrow(
      "model 'churn' has no alias 'staging'; aliases: champion; versions: v1, v2",
    );
    await expect(h.store.setAlias("churn", "champion", 7)).rejects.toThrow("has no version v7");
    await expect(h.store.setAlias("churn", "Bad Alias", 1)).rejects.toThrow("is not an alias name");
    await expect(h.store.setAlias("churn", "v1", 2)).rejects.toThrow("is not an alias name");
    await expect(h.store.rollback("churn", "champion")).rejects.toThrow("no earlier version to roll back to");
    await expect(h.store.rollback("churn", "challenger")).rejects.toThrow(
      "has no alias 'challenger'; aliases: champion",
    );
    await expect(h.store.get("fraud", "1")).rejects.toThrow(
      "no model 'fraud' in the registry; models: churn",
    );
    await expect(h.store.register("../escape", await modelFolder(1), {})).rejects.toBeInstanceOf(UserError);
  });

  it("rolls back step by step through the alias history", async () => {
    h = await open();
    const dir = await modelFolder(4);
    for (let i = 0; i < 3; i++) await h.store.register("churn", dir, {});
    for (const version of [1, 2, 3]) await h.store.setAlias("churn", "champion", version);

    const steps = [await h.store.rollback("churn", "champion"), await h.store.rollback("churn", "champion")];

    expect(steps).toEqual([2, 1]);
    await expect(h.store.rollback("churn", "champion")).rejects.toThrow("no earlier version");
  });

  it("gives 20 concurrent writers on separate instances versions 1..20, each exactly once", async () => {
    h = await open();
    const dirs = await Promise.all(Array.from({ length: 20 }, (_, i) => modelFolder(i + 1)));

    const records = await Promise.all(
      dirs.map((dir, i) => h.another().register("churn", dir, { runId: `run-${i}` })),
    );

    expect(records.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const listed = await h.store.list("churn");
    expect(listed.map((v) => v.runId).sort()).toEqual(records.map((r) => r.runId).sort());
    expect(listed.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    if (h.kind === "github") expect(h.git!.rejections.length).toBeGreaterThan(0);
  });

  it("loses no alias change among concurrent writers", async () => {
    h = await open();
    const dir = await modelFolder(5);
    for (let i = 0; i < 3; i++) await h.store.register("churn", dir, {});
    const aliases = ["a", "b", "c", "d", "e", "f", "g", "h"];

    await Promise.all(aliases.map((alias, i) => h.another().setAlias("churn", alias, (i % 3) + 1)));

    expect(await h.store.aliases("churn")).toEqual(
      Object.fromEntries(aliases.map((a, i) => [a, (i % 3) + 1])),
    );
  });

  it("refuses a corrupted version index, naming the file and field", async () => {
    h = await open();
    await h.store.register("churn", await modelFolder(1), {});
    const index = "models/churn/versions/1/version.json";
    const good = JSON.parse((await h.read(index))!.toString("utf8"));

    await h.tamper(index, "{ not json");
    const garbled = await h.store.list("churn").catch((e: unknown) => e);
    await h.tamper(index, JSON.stringify({ ...good, metrics: { accuracy: "high" } }));
    const badField = await h.store.get("churn", "1").catch((e: unknown) => e);

    expect(garbled).toBeInstanceOf(UserError);
    expect((garbled as UserError).message).toMatch(/^corrupted registry index: not JSON/);
    expect((garbled as UserError).location.file).toMatch(/models\/churn\/versions\/1\/version\.json$/);
    expect((badField as UserError).location.field).toBe("metrics.accuracy");
  });

  it("refuses a corrupted aliases file", async () => {
    h = await open();
    await h.store.register("churn", await modelFolder(1), {});
    await h.store.setAlias("churn", "champion", 1);

    await h.tamper("models/churn/aliases.json", JSON.stringify({ aliases: { champion: -1 }, history: [] }));

    await expect(h.store.get("churn", "champion")).rejects.toThrow(/corrupted registry index/);
  });

  it("refuses to download a file whose bytes no longer match the index, and leaves it out", async () => {
    h = await open();
    await h.store.register("churn", await modelFolder(1), {});
    await h.tamper("models/churn/versions/1/weights.bin", Buffer.from("swapped weights"));
    const dest = path.join(await tempDir(), "out");

    const error = await h.store.download("churn", "1", dest).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/^weights\.bin: content does not match the registry index/);
    expect(Object.keys(await filesOf(dest))).not.toContain("weights.bin");
  });

  it("refuses an index that lists a path outside the model folder", async () => {
    h = await open();
    const record = await h.store.register("churn", await modelFolder(1), {});
    const evil = { ...record, files: [{ ...record.files[0]!, path: "../../outside.txt" }] };

    await h.tamper("models/churn/versions/1/version.json", JSON.stringify(evil));

    await expect(h.store.download("churn", "1", await tempDir())).rejects.toThrow(
      "corrupted registry index: must be a relative path inside the model folder",
    );
  });

  it("refuses a model folder holding a symbolic link", async () => {
    h = await open();
    const dir = await modelFolder(1);
    await symlink("/etc/hostname", path.join(dir, "card", "leak.txt"));

    await expect(h.store.register("churn", dir, {})).rejects.toThrow("symbolic links are refused");
    expect(await h.store.list()).toEqual([]);
  });
});
