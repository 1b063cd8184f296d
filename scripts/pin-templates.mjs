#!/usr/bin/env node
// Fills the example workflows' `OWNER/modelgate/...@v1` placeholder with a released commit:
//   node scripts/pin-templates.mjs --repo acme/modelgate --sha <40 hex> --tag v1.2.3 [--out DIR]
// Each `uses:` becomes `acme/modelgate/actions/x@<sha> # v1.2.3`, so users copy workflows pinned to a commit
// whose tag names it. Writes to --out (default: print the list of files it would write and exit 2).
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PLACEHOLDER = /uses: OWNER\/modelgate((?:\/[\w./-]+)?)@v\d+[^\S\n]*(#[^\n]*)?/g;

export function pinTemplate(text, { repo, sha, tag }) {
  return text.replace(PLACEHOLDER, (_, sub) => `uses: ${repo}${sub}@${sha} # ${tag}`);
}

function fail(message) {
  process.stderr.write(`pin-templates: ${message}\n`);
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({
    options: {
      repo: { type: "string" },
      sha: { type: "string" },
      tag: { type: "string" },
      out: { type: "string" },
    },
  });
  const { repo, sha, tag, out } = values;
  if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) fail("--repo must be OWNER/NAME");
  if (!sha || !/^[0-9a-f]{40}$/.test(sha)) fail("--sha must be a 40-character commit SHA");
  if (!tag || !/^v\d+\.\d+\.\d+$/.test(tag)) fail("--tag must be vX.Y.Z");
  if (!out) fail("--out DIR is required");

  const from = path.join(root, "examples/workflows");
  await mkdir(out, { recursive: true });
  const files = (await readdir(from)).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const file of files) {
    const text = await readFile(path.join(from, file), "utf8");
    const pinned = pinTemplate(text, { repo, sha, tag });
    if (pinned.includes("OWNER/modelgate")) fail(`${file}: a placeholder was left unfilled`);
    await writeFile(path.join(out, file), pinned);
  }
  process.stdout.write(`${files.length} workflows pinned to ${repo}@${sha} (${tag}) in ${out}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
