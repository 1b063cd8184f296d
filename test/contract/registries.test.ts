import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Reader, readers } from "../../core/data/readers/index.js";
import { type Metric, metrics, metricsFor } from "../../core/metrics/index.js";
import { IMPORTED_FORMATS } from "../../core/model/formats/index.js";
import type { ImportedFormat } from "../../core/model/formats/types.js";
import { IMPORTED_KINDS, MODEL_KINDS } from "../../core/model/schema.js";
import { repoRoot } from "../helpers/action.js";
import { exportedPlugins, isObjectWith } from "./plugins.js";

// One contract per plug-in registry: what the folder's files hold, what the registry lists and any enum or union
// naming them must agree. (Drift methods: drift-methods.test.ts.)

describe("metrics: core/metrics files, the metrics map and the defaults agree", () => {
  it("registers exactly the metrics the files export, each under its own name, names unique", async () => {
    const isMetric = (value: unknown): value is Metric =>
      isObjectWith(value, ["name", "task", "compute"]) && typeof value.compute === "function";
    const exported = await exportedPlugins("core/metrics", isMetric);

    expect(exported.length).toBeGreaterThanOrEqual(15);
    expect(new Set(exported.map((e) => e.plugin))).toEqual(new Set(metrics.values()));
    expect(new Set(exported.map((e) => e.plugin.name)).size).toBe(exported.length);
    for (const [name, metric] of metrics) expect(metric.name).toBe(name);
  });

  it("has the default primary metric of each task registered for that task", () => {
    const names = (task: "classification" | "regression") => metricsFor(task).map((m) => m.name);

    expect(names("classification")).toContain("f1_macro");
    expect(names("regression")).toContain("rmse");
  });
});

describe("readers: core/data/readers files, the readers map and FormatName agree", () => {
  it("registers exactly the readers the files export, each under its own format", async () => {
    const isReader = (value: unknown): value is Reader =>
      isObjectWith(value, ["format", "extensions", "open"]) && typeof value.open === "function";
    const exported = await exportedPlugins("core/data/readers", isReader, ["index.ts", "registry.ts"]);

    expect(exported.length).toBeGreaterThanOrEqual(5);
    expect(new Set(exported.map((e) => e.plugin))).toEqual(new Set(readers.values()));
    for (const [format, reader] of readers) expect(reader.format).toBe(format);
  });

  it("has the FormatName union in core/data/types.ts name exactly the registered formats", async () => {
    const text = await readFile(path.join(repoRoot, "core/data/types.ts"), "utf8");
    const union = /export type FormatName = ([^;]+);/.exec(text)?.[1] ?? "";
    const names = [...union.matchAll(/"([^"]+)"/g)].map((m) => m[1]);

    expect(names.length).toBeGreaterThan(0);
    expect(names.sort()).toEqual([...readers.keys()].sort());
  });

  it("gives every extension to one reader only", () => {
    const extensions = [...readers.values()].flatMap((r) => r.extensions);

    expect(new Set(extensions).size).toBe(extensions.length);
    for (const extension of extensions) expect(extension).toMatch(/^\.[a-z0-9.]+$/);
  });
});

describe("model formats: core/model/formats folders, IMPORTED_FORMATS and the kind enums agree", () => {
  it("has one folder per model kind, and MODEL_KINDS is modelgate-mlp plus the imported kinds", async () => {
    const entries = await readdir(path.join(repoRoot, "core/model/formats"), { withFileTypes: true });
    const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name);

    expect(folders.sort()).toEqual([...MODEL_KINDS].sort());
    expect([...MODEL_KINDS].sort()).toEqual(["modelgate-mlp", ...IMPORTED_KINDS].sort());
  });

  it("registers each imported kind's folder export under its own kind", async () => {
    const isFormat = (value: unknown): value is ImportedFormat =>
      isObjectWith(value, ["kind", "detect", "files", "open"]) && typeof value.open === "function";
    for (const kind of IMPORTED_KINDS) {
      const exported = await exportedPlugins(`core/model/formats/${kind}`, isFormat, []);

      expect(exported.map((e) => e.plugin)).toEqual([IMPORTED_FORMATS[kind]]);
      expect(IMPORTED_FORMATS[kind].kind).toBe(kind);
    }
    expect(Object.keys(IMPORTED_FORMATS).sort()).toEqual([...IMPORTED_KINDS].sort());
  });
});
