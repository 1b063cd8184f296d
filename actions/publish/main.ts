import { runAction } from "../runtime.js";
import { publishAction } from "./run.js";

await runAction(publishAction);
