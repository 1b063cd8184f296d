export { type CompareOptions, compareModels } from "./compare.js";
export { checkGates, evaluateGates, type GateInputs, type GateOptions } from "./evaluate.js";
export * from "./schema.js";
