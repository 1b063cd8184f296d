import { runAction } from "../runtime.js";
import { validateAction } from "./run.js";

await runAction(validateAction);
