import * as core from "@actions/core";
import { UserError } from "../core/errors.js";
import { driftAction } from "./drift/run.js";
import { evaluateAction } from "./evaluate/run.js";
import { publishAction } from "./publish/run.js";
import { reportAction } from "./report/run.js";
import { runAction } from "./runtime.js";
import { trainAction } from "./train/run.js";
import { validateAction } from "./validate/run.js";

/** The root action: `uses: OWNER/modelgate@v1` with `command:`. */
const commands: Record<string, () => Promise<number>> = {
  validate: validateAction,
  train: trainAction,
  evaluate: evaluateAction,
  report: reportAction,
  publish: publishAction,
  drift: driftAction,
};

await runAction(async () => {
  const name = core.getInput("command") || "validate";
  const command = commands[name];
  if (!command) {
    throw new UserError(`unknown command '${name}'; expected one of ${Object.keys(commands).join(", ")}`, {
      field: "with.command",
    });
  }
  return command();
});
