import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { UserError } from "../../core/errors.js";
import { memoryLogger } from "../../core/ports.js";
import { registerModel } from "../../core/registry/index.js";
import { localHarness, trainedFolder } from "./harness.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("registerModel", () => {
  it("records the evaluation's metrics and test-data fingerprint beside the training lineage", async () => {
    const { store } = await localHarness();
    const dir = await trainedFolder(5);

    const version = await registerModel({
      store,
      modelDir: dir,
      project: { name: "churn", target: "label", task: "classification" },
      evaluation: { metrics: { accuracy: 0.9, f1_macro: 0.88 }, testFingerprint: "sha256:abc" },
    });

    expect(version.metrics).toEqual({ loss: 0.5, accuracy: 0.9, f1_macro: 0.88 });
    expect(version.dataFingerprints).toEqual({ test: "sha256:abc" });
    expect(version.runId).toBe("run-5");
  });

  it("says out loud when a version has no evaluation, and refuses non-finite metrics, another target or task", async () => {
    const { store } = await localHarness();
    const dir = await trainedFolder(6);
    const logger = memoryLogger();

    await registerModel({ store, modelDir: dir, project: { name: "churn" }, logger });
    const infinite = await registerModel({
      store,
      modelDir: dir,
      project: { name: "churn" },
      evaluation: { metrics: { log_loss: Number.POSITIVE_INFINITY } },
    }).catch((e: unknown) => e);
    const target = await registerModel({
      store,
      modelDir: dir,
      project: { name: "churn", target: "churned" },
    }).catch((e: unknown) => e);
    const task = await registerModel({
      store,
      modelDir: dir,
      project: { name: "churn", task: "regression" },
    }).catch((e: unknown) => e);

    expect(logger.lines).toContain(
      "warning: churn: registered without evaluation metrics (no test rows to score it on); 'modelgate evaluate' or 'modelgate run' record them",
    );
    expect((infinite as UserError).message).toBe(
      "metric log_loss is Infinity, not a finite number; the model cannot be compared",
    );
    expect((target as UserError).message).toBe(
      'this model predicts "label", the project\'s data.target is "churned"',
    );
    expect((task as UserError).message).toBe(
      "this is a classification model, the project's model.task is regression",
    );
    expect((await store.list("churn")).map((v) => v.version)).toEqual([1]);
  });

  it("is the only door: no other source file calls a store's register", async () => {
    const callers: string[] = [];
    for (const folder of ["core", "cli", "actions", "bot"]) {
      for (const file of await readdir(path.join(repoRoot, folder), { recursive: true })) {
        if (!String(file).endsWith(".ts")) continue;
        const text = await readFile(path.join(repoRoot, folder, String(file)), "utf8");
        if (/\bstore\.register\(/.test(text)) callers.push(`${folder}/${file}`);
      }
    }

    expect(callers).toEqual(["core/registry/register.ts"]);
  });
});
