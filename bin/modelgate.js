#!/usr/bin/env node
import { run } from "../dist/cli.js";

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// Let pending writes to a pipe finish before the process ends.
process.exitCode = code;
