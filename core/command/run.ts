import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { createInterface } from "node:readline";
import { type ParamValue, PLACEHOLDERS } from "../config/command.js";
import { UserError } from "../errors.js";
import type { Logger } from "../ports.js";

export interface CommandRequest {
  /** model.command as configured, placeholders unfilled. */
  command: string[];
  cwd: string;
  /** Data locations resolved from the config's folder (a glob or URL as written), the output folder, the target. */
  values: { train: string; test?: string; out: string; target: string };
  params: Record<string, ParamValue>;
  timeoutMs: number;
  /** The environment the program inherits; the door hands it in (core never reads process.env). */
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Between SIGTERM and SIGKILL when the timeout strikes. */
  graceMs?: number;
}

export interface CommandResult {
  argv: string[];
  durationMs: number;
}

/**
 * Runs the training program: an argv, no shell, in its own process group so a timeout stops its
 * children too. Its output is streamed to the logger line by line. A non-zero exit, a timeout, a
 * program that cannot start and an output folder left empty are UserErrors naming model.command.
 */
export async function runCommand(request: CommandRequest): Promise<CommandResult> {
  const argv = fillPlaceholders(request.command, request.values, request.params);
  const started = Date.now();
  const shown = argv.map((a) => (/^[\w./:=@-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
  request.logger.info(`running ${shown}`);
  const outcome = await spawnStreaming(argv, request, environment(request));
  const durationMs = Date.now() - started;
  if (outcome.error) {
    throw new UserError(`cannot run ${JSON.stringify(argv[0])}: ${outcome.error}`, {
      field: "model.command",
    });
  }
  if (outcome.timedOut) {
    throw new UserError(
      `${shown} did not finish within ${request.timeoutMs / 1000} s; it was stopped${tail(outcome.lines)}`,
      { field: "model.timeout" },
    );
  }
  if (outcome.code !== 0) {
    const how =
      outcome.code === null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
    throw new UserError(`${shown} ${how}${tail(outcome.lines)}`, { field: "model.command" });
  }
  const written = await readdir(request.values.out).catch(() => []);
  if (written.length === 0) {
    throw new UserError(`${shown} exited 0 but wrote nothing to ${request.values.out} (the {out} folder)`, {
      field: "model.command",
    });
  }
  return { argv, durationMs };
}

/**
 * Placeholders fill whole arguments only (`{train}`, `{param.lr}`): pasted into a longer argument,
 * a value could change how the program splits or reads it, so "--data={train}" is refused.
 */
export function fillPlaceholders(
  command: string[],
  values: CommandRequest["values"],
  params: Record<string, ParamValue>,
): string[] {
  return command.map((arg, i) => {
    const whole = /^\{([A-Za-z_][\w.]*)\}$/.exec(arg);
    if (!whole) {
      if (/\{(train|test|out|target|params|param\.[\w]+)\}/.test(arg)) {
        throw new UserError(
          `argument ${JSON.stringify(arg)} embeds a placeholder; placeholders fill whole arguments only: split it into two arguments`,
          { field: `model.command[${i}]` },
        );
      }
      return arg;
    }
    const name = whole[1]!;
    if (name.startsWith("param.")) {
      const param = name.slice("param.".length);
      if (!Object.hasOwn(params, param)) {
        throw new UserError(`{${name}}: model.params declares no "${param}"`, {
          field: `model.command[${i}]`,
        });
      }
      return String(params[param]);
    }
    if (name === "params") return JSON.stringify(params);
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new UserError(
        `unknown placeholder {${name}}; expected one of ${[...PLACEHOLDERS, "param.NAME"].map((p) => `{${p}}`).join(", ")}`,
        { field: `model.command[${i}]` },
      );
    }
    const value = values[name as keyof CommandRequest["values"]];
    if (value === undefined) {
      throw new UserError(`{${name}} has no value: the config sets no data.${name}`, {
        field: `model.command[${i}]`,
      });
    }
    return value;
  });
}

/** The same values in the environment: MODELGATE_TRAIN, ..., MODELGATE_PARAMS (JSON), MODELGATE_PARAM_<NAME>. */
function environment(request: CommandRequest): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.env)) if (value !== undefined) env[key] = value;
  const { values, params } = request;
  env.MODELGATE_TRAIN = values.train;
  if (values.test !== undefined) env.MODELGATE_TEST = values.test;
  env.MODELGATE_OUT = values.out;
  env.MODELGATE_TARGET = values.target;
  env.MODELGATE_PARAMS = JSON.stringify(params);
  for (const [name, value] of Object.entries(params))
    env[`MODELGATE_PARAM_${name.toUpperCase()}`] = String(value);
  return env;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  error?: string;
  /** The last lines of output, for the error message. */
  lines: string[];
}

const TAIL_LINES = 20;

function spawnStreaming(
  argv: string[],
  request: CommandRequest,
  env: Record<string, string>,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    let timedOut = false;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: request.cwd,
      env,
      shell: false,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (line: string) => {
      request.logger.info(line);
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
    };
    createInterface({ input: child.stdout }).on("line", keep);
    createInterface({ input: child.stderr }).on("line", keep);
    const group = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    let kill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      group("SIGTERM");
      kill = setTimeout(() => group("SIGKILL"), request.graceMs ?? 5000);
    }, request.timeoutMs);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        code: null,
        signal: null,
        timedOut,
        error: error.code === "ENOENT" ? "no such program" : error.message,
        lines,
      });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (kill) clearTimeout(kill);
      // A timed-out program's children that ignored SIGTERM go with it.
      if (timedOut) group("SIGKILL");
      resolve({ code, signal, timedOut, lines });
    });
  });
}

function tail(lines: string[]): string {
  return lines.length === 0 ? "" : `; its last lines:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}
