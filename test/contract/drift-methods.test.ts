import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { driftCommand } from "../../cli/commands/drift.js";
import { DRIFT_METHOD_NAMES } from "../../core/config/plugin-names.js";
import { DriftMethodName } from "../../core/config/schema.js";
import { compareProfiles, type DriftMethod, driftMethod, driftMethods } from "../../core/drift/index.js";
import { DRIFT_OPTIONS } from "../../core/drift/request.js";
import { METHOD_INPUTS, NAMES_FILE, namesFile, withMethodList } from "../../scripts/plugin-names.js";
import { profileOf } from "../drift/helpers.js";
import { repoRoot } from "../helpers/action.js";
import { exportedPlugins, isObjectWith } from "./plugins.js";

const isMethod = (value: unknown): value is DriftMethod =>
  isObjectWith(value, ["name", "kind", "accepts", "compare", "defaultThreshold"]);
const registered = [...driftMethods.keys()];
const fresh = "run `npm run schemas` to copy the registry's names";

describe("drift methods: folder, registry, enum, help and action inputs agree", () => {
  it("registers exactly the methods the files in core/drift/methods export, each by its own name", async () => {
    const exported = await exportedPlugins("core/drift/methods", isMethod);

    expect(exported.length).toBeGreaterThanOrEqual(6);
    expect(new Set(exported.map((e) => e.plugin))).toEqual(new Set(driftMethods.values()));
    for (const [name, method] of driftMethods) expect(method.name).toBe(name);
  });

  it(`has the config enum equal to auto plus the registry (${NAMES_FILE} fresh: ${fresh})`, async () => {
    const text = await readFile(path.join(repoRoot, NAMES_FILE), "utf8");

    expect(text).toBe(namesFile());
    expect([...DRIFT_METHOD_NAMES]).toEqual(registered);
    expect(DriftMethodName.options).toEqual(["auto", ...registered]);
  });

  it.each(METHOD_INPUTS)("lists auto and every registered method in %s's method input", async (file) => {
    const text = await readFile(path.join(repoRoot, file), "utf8");
    const description = /^ {2}method:\n {4}description: (.*)$/m.exec(text)?.[1];

    expect(withMethodList(text), fresh).toBe(text);
    expect(description).toContain(["auto", ...registered].join(" | "));
  });

  it("lists auto and every registered method in the CLI help and the doors' option text", () => {
    const help = driftCommand.details?.join("\n") ?? "";

    expect(help).toContain(`--method ${["auto", ...registered].join("|")} `);
    expect(DRIFT_OPTIONS.method).toContain(["auto", ...registered].join(" | "));
  });

  it("refuses a name the registry lacks as a bug, never falling back to auto", () => {
    const reference = profileOf({ x: [1, 2, 3] });

    expect(() => driftMethod("no-such-method")).toThrow(
      /'no-such-method' is not in core\/drift\/methods\/index\.ts/,
    );
    expect(() => compareProfiles(reference, reference, { method: "no-such-method" as never })).toThrow(
      /not in core\/drift\/methods/,
    );
  });
});

describe("drift methods: applicability decides, not names", () => {
  it("has every method accept some column, and z only two values", () => {
    for (const method of driftMethods.values()) {
      expect(method.accepts("numeric", 100) || method.accepts("categorical", 2), method.name).toBe(true);
    }
    expect(driftMethod("z").accepts("categorical", 2)).toBe(true);
    expect(driftMethod("z").accepts("categorical", 3)).toBe(false);
  });

  it("leaves a column a named method cannot read to the automatic choice", () => {
    const colours = (shift: number) => ({
      colour: Array.from({ length: 60 }, (_, i) => ["red", "green", "blue"][(i + shift) % 3]!),
    });
    const reference = profileOf(colours(0));
    const current = profileOf(colours(1));

    const z = compareProfiles(reference, current, { method: "z" });
    const ks = compareProfiles(reference, current, { method: "ks" });

    expect(z.columns[0]?.method).toBe("chisquare");
    expect(ks.columns[0]?.method).toBe("chisquare");
  });
});
