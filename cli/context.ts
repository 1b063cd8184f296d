import type { Logger } from "../core/ports.js";

/** Everything a command touches of the outside world, so tests run the CLI in-process. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Context {
  io: Io;
  logger: Logger;
  /** --json: the machine-readable result goes to stdout, nothing else does. */
  json: boolean;
  /** --config as given, or undefined for the default file. */
  configFile: string | undefined;
}

export type FlagSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;
export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines after the usage in --help. */
  details?: string[];
  flags: FlagSpec;
  /** Returns the exit code. */
  run(positionals: string[], flags: Flags, ctx: Context): Promise<number>;
}
