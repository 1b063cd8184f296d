import { benchBot } from "./bot.js";
import { benchDefaults } from "./defaults.js";
import { benchDrift } from "./drift.js";
import { benchGate } from "./gate.js";
import { benchPredict } from "./predict.js";
import { benchServe } from "./serve.js";
import { benchTrain } from "./train.js";
import { benchTune } from "./tune.js";
import { benchValidate } from "./validate.js";

// `npm run bench` runs all; `npm run bench -- validate train` runs some.
const all: Record<string, () => Promise<void>> = {
  validate: benchValidate,
  train: benchTrain,
  serve: benchServe,
  drift: benchDrift,
  bot: benchBot,
  tune: benchTune,
  defaults: benchDefaults,
  gate: benchGate,
  predict: benchPredict,
};
const chosen = process.argv.slice(2);
for (const [name, bench] of Object.entries(all)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  console.log(`\n## ${name}`);
  await bench();
}
