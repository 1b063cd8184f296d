import { runAction } from "../runtime.js";
import { driftAction } from "./run.js";

await runAction(driftAction);
