import { runAction } from "../runtime.js";
import { reportAction } from "./run.js";

await runAction(reportAction);
