import type { Command } from "../context.js";

/**
 * Every command, in the order `--help` lists them. Modules load only for the command that runs:
 * `validate` should not pay for TensorFlow.js, the bot or the server (start-up time and memory).
 */
export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

const entry = (name: string, load: () => Promise<Command>): CommandEntry => ({ name, load });

export const commands = new Map<string, CommandEntry | Command>(
  [
    entry("validate", async () => (await import("./validate.js")).validateCommand),
    entry("schema", async () => (await import("./data.js")).schemaCommand),
    entry("profile", async () => (await import("./data.js")).profileCommand),
    entry("diff", async () => (await import("./data.js")).diffCommand),
    entry("train", async () => (await import("./model.js")).trainCommand),
    entry("import", async () => (await import("./import.js")).importCommand),
    entry("evaluate", async () => (await import("./model.js")).evaluateCommand),
    entry("report", async () => (await import("./model.js")).reportCommand),
    entry("drift", async () => (await import("./drift.js")).driftCommand),
    entry("runs", async () => (await import("./runs.js")).runsCommand),
    entry("registry", async () => (await import("./registry.js")).registryCommand),
    entry("serve", async () => (await import("./serve.js")).serveCommand),
    entry("export", async () => (await import("./export.js")).exportCommand),
    entry("tune", async () => (await import("./tune.js")).tuneCommand),
    entry("run", async () => (await import("./run.js")).runCommand),
    entry("bot", async () => (await import("./bot.js")).botCommand),
  ].map((c) => [c.name, c]),
);

export async function loadCommand(name: string): Promise<Command | undefined> {
  const found = commands.get(name);
  if (!found) return undefined;
  return "load" in found ? found.load() : found;
}

/** Every command loaded: for --help's list and the generated CLI reference. */
export async function allCommands(): Promise<Command[]> {
  return Promise.all([...commands.keys()].map(async (name) => (await loadCommand(name))!));
}
