import { runAction } from "../runtime.js";
import { tuneAction } from "./run.js";

await runAction(tuneAction);
