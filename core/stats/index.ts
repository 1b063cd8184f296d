export { type BootstrapOptions, pairedBootstrap, pairedBootstrapAll, quantile } from "./bootstrap.js";
export {
  binomialCdf,
  chiSquaredCdf,
  chiSquaredSf,
  gammaP,
  gammaQ,
  logGamma,
  normalCdf,
} from "./distributions.js";
export { mcnemar } from "./mcnemar.js";
export { mulberry32, resample } from "./random.js";
export * from "./schema.js";
