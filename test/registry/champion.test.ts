import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../core/ports.js";
import { sha256 } from "../../core/registry/files.js";
import { baselineChoice, LocalStore, resolveBaseline } from "../../core/registry/index.js";
import { modelFolder, tempDir } from "./harness.js";

function ports(store: LocalStore, said: string[]) {
  const logger = { info: (m: string) => said.push(m) } as unknown as Logger;
  return { name: "churn", store: () => store, tempDir: () => tempDir("mg-champ-"), logger };
}

describe("resolveBaseline: the one place a door learns what to compare with", () => {
  it("downloads the registry's champion and records its version and every file's sha256", async () => {
    const store = new LocalStore(await tempDir());
    const dir = await modelFolder(3);
    await store.register("churn", await modelFolder(1), {
      metrics: {},
      dataFingerprints: { test: "fp-test-1" },
    });
    await store.register("churn", dir, { metrics: {}, dataFingerprints: { test: "fp-test-2" } });
    await store.setAlias("churn", "champion", 2);

    const resolved = await resolveBaseline(baselineChoice(undefined, "/"), ports(store, []));

    const weights = sha256(await readFile(path.join(dir, "weights.bin")));
    expect(resolved.label).toBe("v2");
    expect(resolved.baseline).toMatchObject({ kind: "registry", version: 2, testFingerprint: "fp-test-2" });
    expect(resolved.baseline.kind === "registry" && resolved.baseline.files).toContainEqual({
      path: "weights.bin",
      sha256: weights,
    });
    expect(sha256(await readFile(path.join(resolved.dir!, "weights.bin")))).toBe(weights);
  });

  it("says 'First model: no comparison' when the registry has no champion", async () => {
    const said: string[] = [];

    const resolved = await resolveBaseline(
      { kind: "registry" },
      ports(new LocalStore(await tempDir()), said),
    );

    expect(resolved).toEqual({ baseline: { kind: "first" } });
    expect(said.join("\n")).toContain("First model: no comparison");
  });

  it("champion: none compares with nothing and never opens the registry", async () => {
    const resolved = await resolveBaseline(baselineChoice("none", "/"), {
      ...ports(new LocalStore(await tempDir()), []),
      store: () => {
        throw new Error("the registry must not be opened");
      },
    });

    expect(resolved).toEqual({ baseline: { kind: "none" } });
  });

  it("a named folder is hashed as it is", async () => {
    const dir = await modelFolder(5);
    await writeFile(path.join(dir, "extra.txt"), "x");

    const resolved = await resolveBaseline(
      baselineChoice(dir, "/"),
      ports(new LocalStore(await tempDir()), []),
    );

    expect(resolved.dir).toBe(dir);
    expect(resolved.baseline.kind === "folder" && resolved.baseline.files.map((f) => f.path)).toEqual([
      "card/README.md",
      "extra.txt",
      "model.json",
      "modelgate.json",
      "weights.bin",
    ]);
  });

  it("refuses a champion whose stored file no longer matches its recorded sha256", async () => {
    const root = await tempDir();
    const store = new LocalStore(root);
    await store.register("churn", await modelFolder(1), { metrics: {} });
    await store.setAlias("churn", "champion", 1);
    await writeFile(path.join(root, "models/churn/versions/1/weights.bin"), "tampered");

    await expect(resolveBaseline({ kind: "registry" }, ports(store, []))).rejects.toThrow(/sha256|size/);
  });
});
