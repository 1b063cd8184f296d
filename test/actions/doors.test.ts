import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/action.js";

/** Every TypeScript file under a door's folder, relative to the repository. */
function sources(folder: string): string[] {
  return readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => path.posix.join(folder, file.split(path.sep).join("/")));
}

/** The top folders a file imports from, by its relative import specifiers. */
function importedFolders(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), "utf8");
  return [...text.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!));
    return target.split("/")[0]!;
  });
}

describe("the doors (docs/architecture.md: no door imports another)", () => {
  // The CLI hosts the bot server (`modelgate bot`), so cli -> bot is the one door-to-door edge.
  const forbidden: Record<string, string[]> = { actions: ["bot", "cli"], bot: ["actions", "cli"] };

  it.each(Object.entries(forbidden))("%s imports none of %j", (door, others) => {
    const files = sources(door);

    const crossing = files.flatMap((file) =>
      importedFolders(file)
        .filter((folder) => others.includes(folder))
        .map((folder) => `${file} -> ${folder}/`),
    );

    expect(files.length).toBeGreaterThan(5);
    expect(crossing).toEqual([]);
  });
});
