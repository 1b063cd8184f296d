import * as core from "@actions/core";
import { z } from "zod";
import { DRIFT_OPTIONS, type DriftOption, type DriftRequestInput } from "../../core/drift/request.js";
import { input, optionalString } from "../runtime.js";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false"], { message: "expected 'true' or 'false'" })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true"));

/** Every input of actions/drift, parsed (the token is read by actions/github.ts). */
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
  };
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
