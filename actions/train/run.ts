import path from "node:path";
import * as core from "@actions/core";
import { RetrainParams, zodProblem } from "../../bot/commands.js";
import type { ModelConfig } from "../../core/config/schema.js";
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
 * `params`: the training settings a `/modelgate retrain epochs=30 ...` dispatch carries, as JSON. Untrusted
 * (typed in a pull-request comment): read with the bot's own schema, so the same keys and bounds apply.
 */
export function parseParams(text: string | undefined): Partial<ModelConfig> | undefined {
  if (!text || text === "{}") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`expected a JSON object of training settings, found '${text.slice(0, 80)}'`, {
      field: "with.params",
    });
  }
  const parsed = RetrainParams.safeParse(json);
  if (!parsed.success) throw new UserError(zodProblem(parsed.error), { field: "with.params" });
  // Only the keys given: the project's config keeps the rest.
  return Object.fromEntries(
    Object.entries(parsed.data).filter(([, value]) => value !== undefined),
  ) as Partial<ModelConfig>;
}
