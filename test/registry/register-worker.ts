// Run as a child process by local-store.test.ts: one writer registering one model folder.
import { LocalStore } from "../../core/registry/local.js";

const [root, dir, runId] = process.argv.slice(2);
const record = await new LocalStore(root!).register("churn", dir!, { runId });
process.stdout.write(`${JSON.stringify({ version: record.version, runId: record.runId })}\n`);
