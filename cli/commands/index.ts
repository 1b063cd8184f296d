import type { Command } from "../context.js";
import { diffCommand, profileCommand, schemaCommand } from "./data.js";
import { driftCommand } from "./drift.js";
import { evaluateCommand, reportCommand, trainCommand } from "./model.js";
import { registryCommand } from "./registry.js";
import { runCommand } from "./run.js";
import { runsCommand } from "./runs.js";
import { serveCommand } from "./serve.js";
import { validateCommand } from "./validate.js";

/** Every command, in the order `--help` lists them. */
export const commands = new Map<string, Command>(
  [
    validateCommand,
    schemaCommand,
    profileCommand,
    diffCommand,
    trainCommand,
    evaluateCommand,
    reportCommand,
    driftCommand,
    runsCommand,
    registryCommand,
    serveCommand,
    runCommand,
  ].map((c) => [c.name, c]),
);
