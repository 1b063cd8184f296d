import { runAction } from "../runtime.js";
import { trainAction } from "./run.js";

await runAction(trainAction);
