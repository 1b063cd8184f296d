import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/action.js";

const exec = promisify(execFile);
// Imported only when the user installed them (optional peers): never bundled.
const OPTIONAL = new Set(["@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu", "onnxruntime-node"]);

let work: string;
let tarball: string;
let files: string[];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "mg-package-"));
  const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", work], { cwd: repoRoot });
  const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(work, packed.filename);
  files = packed.files.map((f) => f.path).sort();
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("ships only what runs: the launcher, the bundles, the JSON Schemas, README and licence", () => {
    const tops = new Set(files.map((f) => (f.includes("/") ? `${f.split("/")[0]}/` : f)));

    expect([...tops].sort()).toEqual(["LICENSE", "README.md", "bin/", "dist/", "package.json", "schemas/"]);
    expect(files).toContain("bin/modelgate.js");
    expect(files).toContain("dist/cli.js");
    expect(files.filter((f) => f.endsWith(".ts"))).toEqual([]);
  });

  it("declares no runtime dependency: dist/ bundles everything it imports", async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8"));
    const bundles = files.filter((f) => f.startsWith("dist/") && f.endsWith(".js"));
    const imported = new Set<string>();
    for (const file of bundles) {
      const text = await readFile(path.join(repoRoot, file), "utf8");
      for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)"([^"./][^"]*)"/g)) {
        const name = m[1] as string;
        // Minified code holds other strings after "from"; keep what looks like a package specifier.
        if (/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]*)?$/.test(name)) imported.add(name);
      }
    }
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const external = [...imported].filter((name) => !builtins.has(name) && !OPTIONAL.has(name));

    expect(manifest.dependencies ?? {}).toEqual({});
    expect(external).toEqual([]);
  });

  it("installs into an empty project and its bin runs", async () => {
    const app = path.join(work, "app");
    await exec("mkdir", ["-p", app]);
    await writeFile(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
    await exec("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], { cwd: app });
    await writeFile(path.join(app, "good.csv"), "a,b\n1,x\n2,y\n3,z\n");
    await writeFile(path.join(app, "ragged.csv"), "a,b\n1,x\n2\n3,z\n");
    const installed = await readdir(path.join(app, "node_modules"));

    const help = await exec("npx", ["--no", "--", "modelgate", "--help"], { cwd: app });
    const good = await exec("npx", ["--no", "--", "modelgate", "validate", "--data", "good.csv"], {
      cwd: app,
    });
    const ragged = await exec("npx", ["--no", "--", "modelgate", "validate", "--data", "ragged.csv"], {
      cwd: app,
    }).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        stdout: error.stdout + error.stderr,
      }),
    );

    expect(installed.filter((name) => !name.startsWith("."))).toEqual(["modelgate"]);
    expect(help.stdout).toMatch(/validate/);
    expect(good.stdout).toMatch(/3 rows/);
    expect(ragged.code).toBe(1);
    expect(ragged.stdout).toMatch(/line 3/);
  }, 120_000);
});
