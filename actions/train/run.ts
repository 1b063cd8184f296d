import path from "node:path";
import * as core from "@actions/core";
import { z } from "zod";
import { RetrainParams, zodProblem } from "../../core/config/command-args.js";
import type { ModelConfig } from "../../core/config/schema.js";
import { UserError } from "../../core/errors.js";
import type { TrainedModel } from "../../core/model/index.js";
import { refuseNonEmpty } from "../../core/pipeline/model-folder.js";
import { trainProject } from "../../core/pipeline/train.js";
import { projectContext } from "../project.js";
import { actionsLogger, inheritedEnv, input, offUnlessTrue, optionalString } from "../runtime.js";

export async function trainAction(): Promise<number> {
  const { cwd, loaded, store, git } = await projectContext();
  const out = input("out", optionalString);
  const outDir = out ? path.resolve(cwd, out) : undefined;
  const force = input("force", offUnlessTrue);
  // Refused here too, so the message names the action's inputs rather than the CLI's flags.
  if (outDir) await refuseNonEmpty(outDir, { force, field: "with.out", forceHint: "force: true" });
  const text = input("params", optionalString);
  // A model.command project takes its declared model.params (trainProject checks them); others, model: keys.
  const command = loaded.config.model.command !== undefined;
  const result = await trainProject(loaded, {
    cwd,
    out: outDir,
    force,
    logger: actionsLogger,
    ...(command ? { commandParams: parseJsonObject(text) } : { params: parseParams(text) }),
    env: inheritedEnv(),
    store,
    git,
  });
  core.setOutput("model", result.dir);
  core.setOutput("run", result.run.id);
  core.setOutput("metrics", JSON.stringify(result.run.metrics));
  await core.summary
    .addHeading(`modelgate: trained ${loaded.config.name}`, 3)
    .addRaw(
      `${trainedBy(result.trained, result.run.command)}, ` +
        `${result.run.data.train?.rows ?? "?"} training rows, run \`${result.run.id}\`.`,
      true,
    )
    .write();
  return 0;
}

function trainedBy(trained: TrainedModel | undefined, command: string[] | undefined): string {
  if (!trained) return `trained by \`${(command ?? []).join(" ").replace(/`/g, "")}\``;
  const early = trained.stoppedEarly ? ` (stopped early; best epoch ${trained.bestEpoch})` : "";
  return `${trained.epochs} epochs on ${trained.backend}${early}`;
}

function parseJsonObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = z.record(z.string(), z.unknown()).safeParse(json);
  if (!parsed.success) {
    throw new UserError(`expected a JSON object of model.params values, found '${text.slice(0, 80)}'`, {
      field: "with.params",
    });
  }
  // Each value is checked against the declared model.params (core/command/params.ts).
  return parsed.data;
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
