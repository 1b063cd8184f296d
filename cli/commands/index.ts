import type { Command } from "../context.js";
import { diffCommand, profileCommand, schemaCommand } from "./data.js";
import { runCommand } from "./run.js";
import { validateCommand } from "./validate.js";

/** Every command, in the order `--help` lists them. */
export const commands = new Map<string, Command>(
  [validateCommand, schemaCommand, profileCommand, diffCommand, runCommand].map((c) => [c.name, c]),
);
