import path from "node:path";
import * as core from "@actions/core";
import { trainProject } from "../../core/pipeline/train.js";
import { projectContext } from "../project.js";
import { actionsLogger, input, optionalString } from "../runtime.js";

export async function trainAction(): Promise<number> {
  const { cwd, loaded, store, git } = await projectContext();
  const out = input("out", optionalString);
  const result = await trainProject(loaded, {
    cwd,
    out: out ? path.resolve(cwd, out) : undefined,
    logger: actionsLogger,
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
