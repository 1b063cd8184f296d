export {
  type BootstrapOptions,
  pairedBootstrap,
  pairedBootstrapAll,
  quantile,
  quantileGrid,
} from "./bootstrap.js";
export { type Bounds, boundsOf, deltaOf, rowsOf, rowVariance, widenedLevel } from "./bounds.js";
export {
  binomialCdf,
  chiSquaredCdf,
  chiSquaredSf,
  gammaP,
  gammaQ,
  incompleteBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from "./distributions.js";
export { binomial, mulberry32, multinomial, resample } from "./random.js";
export * from "./schema.js";
export { tangoBound } from "./tango.js";
