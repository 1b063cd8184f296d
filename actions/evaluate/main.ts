import { runAction } from "../runtime.js";
import { evaluateAction } from "./run.js";

await runAction(evaluateAction);
