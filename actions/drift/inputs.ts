import { z } from "zod";
import { DriftMethodName } from "../../core/drift/index.js";
import { input, optionalString } from "../runtime.js";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false"], { message: "expected 'true' or 'false'" })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true"));
const share = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, "expected a share between 0 and 1")
  .transform(Number)
  .pipe(z.number().gt(0).max(1))
  .optional();
const Repository = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/repo");

/** Every input of actions/drift, parsed; environment the runner sets, parsed too. */
export function driftInputs() {
  return {
    config: input("config", optionalString) ?? "modelgate.yml",
    reference: input("reference", optionalString),
    current: input("current", optionalString),
    model: input("model", optionalString),
    log: input("log", optionalString),
    labels: input("labels", optionalString),
    labelKey: input("label-key", optionalString),
    baseline: input("baseline", optionalString),
    method: input("method", DriftMethodName.optional()),
    threshold: input("threshold", share),
    columns: input("columns", optionalString)
      ?.split(",")
      .map((c) => c.trim())
      .filter(Boolean),
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
