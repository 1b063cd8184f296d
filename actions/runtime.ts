import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { z } from "zod";
import { describeError, ExitCode, fsError, UserError } from "../core/errors.js";
import { parseAt } from "../core/parse.js";
import type { Logger } from "../core/ports.js";

/** The Logger port on the Actions runner: groups fold in the log, progress stays terse. */
export const actionsLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  group: (name, work) => core.group(name, work),
  progress: (() => {
    const shown = new Map<string, number>();
    return (step: string, done: number, total?: number, detail?: string) => {
      const decile = total ? Math.floor((10 * done) / total) : done;
      if (shown.get(step) === decile) return;
      shown.set(step, decile);
      core.info(`${step} ${done}${total ? `/${total}` : ""}${detail ? ` ${detail}` : ""}`);
    };
  })(),
};

/**
 * Wraps an action's whole body (codeql-action's runWrapper): user errors fail the step with their
 * message and the documented exit code, anything else is reported as a bug with its stack.
 */
export async function runAction(body: () => Promise<number>): Promise<void> {
  let code: number;
  try {
    code = await body();
  } catch (error) {
    const { exitCode, message } = describeError(error);
    if (error instanceof UserError && error.location.file) {
      core.error(error.message, { file: error.location.file, startLine: error.location.line });
    }
    core.setFailed(message);
    code = exitCode;
  }
  process.exitCode = code;
}

/** Reads an input and parses it with zod; a bad value names the input. */
export function input<S extends z.ZodType>(name: string, schema: S): z.infer<S> {
  const raw = core.getInput(name);
  return parseAt(schema, raw === "" ? undefined : raw, {
    what: `input '${name}'`,
    got: raw,
    field: `with.${name}`,
  });
}

export const optionalString = z.string().min(1).optional();
/** A boolean input that is on unless set to "false". */
export const onUnlessFalse = z
  .enum(["true", "false"], { message: "expected true or false" })
  .optional()
  .transform((v) => v !== "false");
/** A boolean input that is off unless set to "true". */
export const offUnlessTrue = z
  .enum(["true", "false"], { message: "expected true or false" })
  .optional()
  .transform((v) => v === "true");
export const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().positive())
    .optional()
    .transform((v) => v ?? fallback);

/** A variable the runner sets; an empty one counts as unset. */
const variable = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
const Sha = z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA");

/**
 * The runner's environment, the one place the actions read it: every variable parsed, so a missing or
 * garbled one is a user error naming it (exit 2), never a crash deep inside a step.
 */
export const RunnerEnv = z.object({
  GITHUB_WORKSPACE: variable(z.string()),
  RUNNER_TEMP: variable(z.string()),
  GITHUB_API_URL: variable(
    z.url({ error: (issue) => `expected the API's URL, found '${String(issue.input)}'` }),
  ).transform((url) => (url ?? "https://api.github.com").replace(/\/+$/, "")),
  GITHUB_REPOSITORY: variable(z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/repo")),
  GITHUB_SHA: variable(Sha),
  GITHUB_EVENT_NAME: variable(z.string()),
  GITHUB_EVENT_PATH: variable(z.string()),
  GITHUB_TOKEN: variable(z.string()),
  GITHUB_ACTOR: variable(z.string()),
});
export type RunnerEnv = z.output<typeof RunnerEnv>;

/** Parses `env` (default the process's) as the runner's environment. */
export function runnerEnv(env: Record<string, string | undefined> = process.env): RunnerEnv {
  return parseAt(RunnerEnv, env, { what: "the runner's environment", field: "env" });
}

/**
 * Everything the process inherited, for a program the action starts (model.command): handed to core,
 * which never reads process.env itself.
 */
export function inheritedEnv(): Record<string, string | undefined> {
  return { ...process.env };
}

/** GITHUB_REPOSITORY as owner and repo; a step that writes to GitHub cannot do without it. */
export function repository(env: RunnerEnv = runnerEnv()): { owner: string; repo: string } {
  if (!env.GITHUB_REPOSITORY) {
    throw new UserError("GITHUB_REPOSITORY is not set: run this step on a GitHub Actions runner", {
      field: "env.GITHUB_REPOSITORY",
    });
  }
  const [owner, repo] = env.GITHUB_REPOSITORY.split("/") as [string, string];
  return { owner, repo };
}

export function workspace(): string {
  return runnerEnv().GITHUB_WORKSPACE ?? process.cwd();
}

/** Where a step keeps what it hands to later steps (RUNNER_TEMP), else `fallback`. */
export function runnerTemp(fallback: string): string {
  return runnerEnv().RUNNER_TEMP ?? fallback;
}

export function failUnless(passed: boolean): number {
  return passed ? ExitCode.ok : ExitCode.checkFailed;
}

/** The runner's event file (GITHUB_EVENT_PATH) as JSON; a missing or garbled file is named, never a crash. */
export async function readEventFile(eventPath: string | undefined): Promise<unknown> {
  if (!eventPath) return undefined;
  let text: string;
  try {
    text = await readFile(eventPath, "utf8");
  } catch (error) {
    throw fsError(error, eventPath);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError("the event file is not JSON", { file: eventPath, field: "GITHUB_EVENT_PATH" });
  }
}
