import path from "node:path";
import * as core from "@actions/core";
import { ModelConfig } from "../../core/config/schema.js";
import { UserError } from "../../core/errors.js";
import { trainProject } from "../../core/pipeline/train.js";
import { projectContext } from "../project.js";
import { actionsLogger, input, optionalString } from "../runtime.js";

export async function trainAction(): Promise<number> {
  const { cwd, loaded, store, git } = await projectContext();
  const out = input("out", optionalString);
  const params = parseParams(input("params", optionalString));
  const result = await trainProject(loaded, {
    cwd,
    out: out ? path.resolve(cwd, out) : undefined,
    logger: actionsLogger,
    params,
    store,
    git,
  });
  core.setOutput("model", result.dir);
  core.setOutput("run", result.run.id);
  core.setOutput("metrics", JSON.stringify(result.run.metrics));
  await core.summary
    .addHeading(`modelgate: trained ${loaded.config.name}`, 3)
    .addRaw(
      `${result.trained.epochs} epochs on ${result.trained.backend}${result.trained.stoppedEarly ? ` (stopped early; best epoch ${result.trained.bestEpoch})` : ""}, ` +
        `${result.run.data.train?.rows ?? "?"} training rows, run \`${result.run.id}\`.`,
      true,
    )
    .write();
  return 0;
}

/**
 * `params`: JSON overrides of `model:` keys, e.g. the `args` a `/modelgate retrain epochs=30` dispatch
 * carries. Untrusted (typed in a PR comment): only known model keys, each checked by the config schema.
 */
export function parseParams(text: string | undefined): Partial<ModelConfig> | undefined {
  if (!text || text === "{}") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`expected a JSON object of model: keys, found '${text.slice(0, 80)}'`, {
      field: "with.params",
    });
  }
  const parsed = ModelConfig.partial().strict().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "");
    throw new UserError(`${key ? `${key}: ` : ""}${issue.message}`, { field: "with.params" });
  }
  // Only the keys given: defaults of the partial schema must not override the project's config.
  const given = json as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in given)) as Partial<ModelConfig>;
}
