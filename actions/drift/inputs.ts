import * as core from "@actions/core";
import { z } from "zod";
import { DRIFT_OPTIONS, type DriftOption, type DriftRequestInput } from "../../core/drift/request.js";
import { input, optionalString } from "../runtime.js";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false"], { message: "expected 'true' or 'false'" })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true"));
const Repository = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/repo");

/** Every input of actions/drift, parsed; environment the runner sets, parsed too. */
export function driftInputs() {
  return {
    config: input("config", optionalString) ?? "modelgate.yml",
    drift: driftRequestInput(),
    modelName: input(
      "model-name",
      z
        .string()
        .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' or '-'")
        .optional(),
    ),
    issue: input("issue", bool(true)),
    retrain: input("retrain", bool(false)),
    trainData: input("train-data", optionalString),
    modelPath: input("model-path", optionalString),
    base: input("base", optionalString),
    token: input("token", optionalString),
  };
}

export function repository(env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const parsed = Repository.safeParse(env.GITHUB_REPOSITORY);
  if (!parsed.success)
    throw new Error(`GITHUB_REPOSITORY is '${env.GITHUB_REPOSITORY}': ${parsed.error.issues[0]?.message}`);
  const [owner, repo] = parsed.data.split("/") as [string, string];
  return { owner, repo };
}

/** The drift request's options as given (core parses them, as it does the CLI's flags). */
function driftRequestInput(): DriftRequestInput {
  const request: DriftRequestInput = {};
  for (const option of Object.keys(DRIFT_OPTIONS) as DriftOption[]) {
    const value = core.getInput(option).trim();
    if (value !== "") request[option] = value;
  }
  return request;
}
