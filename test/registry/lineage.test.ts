import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lineageFromModelDir } from "../../core/registry/index.js";
import { tempDir } from "./harness.js";

describe("lineage from a model folder", () => {
  it("takes run id, metrics, fingerprints and commit from modelgate.json's run record", async () => {
    const dir = await tempDir();
    const run = {
      id: "20250101-abc",
      metrics: { f1_macro: 0.81 },
      data: {
        train: { file: "t.csv", rows: 10, fingerprint: "fp1" },
        test: { file: "s.csv", rows: 5, fingerprint: "fp2" },
      },
      git: { commit: "deadbeef", dirty: false },
    };
    await writeFile(
      path.join(dir, "modelgate.json"),
      JSON.stringify({ format: 1, config: { epochs: 5 }, run }),
    );

    const lineage = await lineageFromModelDir(dir);

    expect(lineage).toEqual({
      source: path.resolve(dir),
      runId: "20250101-abc",
      commit: "deadbeef",
      metrics: { f1_macro: 0.81 },
      dataFingerprints: { train: "fp1", test: "fp2" },
      configHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it("falls back to the source alone when modelgate.json is missing or unreadable", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "modelgate.json"), "{ broken");

    expect(await lineageFromModelDir(dir)).toEqual({ metrics: {}, source: path.resolve(dir) });
  });
});
