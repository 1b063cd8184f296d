import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DRIFT_OPTIONS } from "../../core/drift/request.js";
import { repoRoot } from "../helpers/action.js";

/**
 * Every input an action's code reads is declared in its action.yml, and every declared input is read.
 * The files an action runs are found the way the bundle finds them (esbuild's metafile of its entry point),
 * so an input read in a shared helper counts for every action that imports it.
 */
const ACTIONS: Record<string, string> = {
  "action.yml": "actions/main.ts",
  "actions/validate/action.yml": "actions/validate/main.ts",
  "actions/train/action.yml": "actions/train/main.ts",
  "actions/evaluate/action.yml": "actions/evaluate/main.ts",
  "actions/report/action.yml": "actions/report/main.ts",
  "actions/publish/action.yml": "actions/publish/main.ts",
  "actions/drift/action.yml": "actions/drift/main.ts",
  "actions/tune/action.yml": "actions/tune/main.ts",
  "actions/bot/action.yml": "bot/actions.ts",
};

// `input("name", ...)` (actions/runtime.ts) and `core.getInput("name")`.
const READ = /\b(?:input|getInput)\(\s*"([a-z][\w-]*)"/g;

async function sourcesOf(entry: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    packages: "external",
  });
  return Object.keys(result.metafile.inputs).filter((file) => /^(actions|bot|core|cli)\//.test(file));
}

async function inputsRead(entry: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of await sourcesOf(entry)) {
    const text = readFileSync(path.join(repoRoot, file), "utf8");
    for (const match of text.matchAll(READ)) names.add(match[1] as string);
    // The drift request's options are read in a loop over core's list (actions/drift/inputs.ts).
    if (text.includes("core.getInput(option)"))
      for (const name of Object.keys(DRIFT_OPTIONS)) names.add(name);
  }
  return names;
}

function inputsDeclared(actionFile: string): Set<string> {
  const action = parse(readFileSync(path.join(repoRoot, actionFile), "utf8")) as { inputs?: object };
  return new Set(Object.keys(action.inputs ?? {}));
}

describe("action inputs", () => {
  it("cover every action folder", () => {
    const folders = readdirSync(path.join(repoRoot, "actions"), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(path.join(repoRoot, "actions", e.name, "action.yml")))
      .map((e) => `actions/${e.name}/action.yml`);

    expect(
      Object.keys(ACTIONS)
        .filter((f) => f !== "action.yml")
        .sort(),
    ).toEqual(folders.sort());
  });

  it.each(Object.entries(ACTIONS))("%s declares exactly the inputs %s reads", async (actionFile, entry) => {
    const read = await inputsRead(entry);
    const declared = inputsDeclared(actionFile);

    expect({ undeclared: [...read].filter((n) => !declared.has(n)).sort() }).toEqual({ undeclared: [] });
    expect({ unread: [...declared].filter((n) => !read.has(n)).sort() }).toEqual({ unread: [] });
  });
});
