import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { repoRoot } from "./helpers/action.js";
import { tempDir } from "./helpers/temp.js";

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    ),
  );
  return nested.flat().sort();
}

// Actions run the committed dist/, not the sources (codeql-action's check-js.sh).
test("the committed dist/ is what the sources build to", async () => {
  const fresh = await tempDir("mg-dist-");

  await promisify(execFile)(process.execPath, [path.join(repoRoot, "scripts/build.mjs"), fresh], {
    cwd: repoRoot,
  });

  const built = await listFiles(fresh);
  const committed = await listFiles(path.join(repoRoot, "dist"));
  expect(committed, "dist/ is stale: run npm run build and commit dist/").toEqual(built);
  for (const file of built) {
    const [a, b] = await Promise.all([
      readFile(path.join(fresh, file)),
      readFile(path.join(repoRoot, "dist", file)),
    ]);
    expect(a.equals(b), `dist/${file} is stale: run npm run build and commit dist/`).toBe(true);
  }
}, 180_000);
