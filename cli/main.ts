import { parseArgs } from "node:util";
import { describeError, ExitCode, UserError } from "../core/errors.js";
import { allCommands, loadCommand } from "./commands/index.js";
import type { Command, FlagSpec, Flags, Io } from "./context.js";
import { consoleLogger } from "./logger.js";
import { removeTempFolders } from "./temp.js";

export const VERSION = "0.1.0";

const COMMON_FLAGS: FlagSpec = {
  config: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  verbose: { type: "boolean", short: "v" },
  quiet: { type: "boolean", short: "q" },
};

/** The whole CLI as a function of its arguments and environment; returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(await mainHelp());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.stderr.write(`modelgate: unknown command '${name}'. Run 'modelgate --help' for the list.\n`);
    return ExitCode.usage;
  }
  try {
    const { positionals, flags } = parseFlags(command, rest);
    if (flags.help) {
      io.stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    const logger = consoleLogger(io, { verbose: flags.verbose === true, quiet: flags.quiet === true });
    const ctx = {
      io,
      logger,
      json: flags.json === true,
      configFile: typeof flags.config === "string" ? flags.config : undefined,
    };
    return await command.run(positionals, flags, ctx);
  } catch (error) {
    const { exitCode, message } = describeError(error);
    io.stderr.write(`modelgate ${name}: ${message}\n`);
    if (exitCode === ExitCode.usage && error instanceof UserError && error.location.field?.startsWith("--")) {
      io.stderr.write(`Run 'modelgate ${name} --help' for usage.\n`);
    }
    return exitCode;
  } finally {
    removeTempFolders();
  }
}

function parseFlags(command: Command, args: string[]): { positionals: string[]; flags: Flags } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON_FLAGS, ...command.flags },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, flags: values as Flags };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "--";
    throw new UserError(message.replace(/\. To specify a positional.*$/s, ""), { field: flag });
  }
}

export async function mainHelp(): Promise<string> {
  const all = await allCommands();
  const width = Math.max(...all.map((c) => c.name.length));
  const lines = all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "modelgate: MLOps on GitHub. Validate data, train and gate TensorFlow.js models, serve, watch drift.",
    "",
    "Usage: modelgate <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Every command takes --config FILE (default modelgate.yml), --json (machine-readable result on",
    "stdout, nothing else there), --help, --verbose and --quiet.",
    "",
    "Exit codes: 0 done, check passed; 1 check failed (invalid data, gate failed, drift);",
    "            2 usage or configuration error; 3 internal error (a bug);",
    "            130/143 interrupted by Ctrl-C/SIGTERM (train and run leave no partial model).",
    "",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  const flags = Object.entries(command.flags).map(([flag, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : "";
    return `  ${short}--${flag}${spec.type === "string" ? " VALUE" : ""}`;
  });
  return [
    `Usage: modelgate ${command.usage}`,
    "",
    command.summary,
    ...(command.details ? ["", ...command.details] : []),
    "",
    "Options:",
    ...flags,
    "  --config FILE    project config (default modelgate.yml)",
    "  --json           machine-readable result on stdout",
    "  -v, --verbose    debug output on stderr",
    "  -q, --quiet      only warnings and errors on stderr",
    "  -h, --help       this help",
    "",
  ].join("\n");
}
