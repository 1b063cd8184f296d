export { type CompareOptions, compareModels } from "./compare.js";
export { checkGates, evaluateGates, type GateInputs, type GateOptions, verdictOf } from "./evaluate.js";
export { checkEvidence, type GateRules, type Judged, judgeReport, type ReportEvidence } from "./judge.js";
export * from "./schema.js";
