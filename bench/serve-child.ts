// The server from source, which the bench bundles unminified and runs under --cpu-prof so that the
// profile's names and lines stay readable: `node --cpu-prof child.mjs MODEL_DIR`.
import { silentLogger } from "../core/ports.js";
import { createModelServer } from "../core/serve/index.js";

const server = await createModelServer({
  modelDir: process.argv[2]!,
  name: "churn",
  logger: silentLogger,
  port: 0,
});
// The profile is written when the process exits.
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
console.log(server.url);
