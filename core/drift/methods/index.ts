import type { DriftMethod } from "../view.js";
import { chiSquare } from "./chisquare.js";
import { jensenShannon } from "./jensenshannon.js";
import { ks } from "./ks.js";
import { psi } from "./psi.js";
import { wassersteinNorm } from "./wasserstein.js";
import { zTest } from "./z.js";

/** Every drift method, by the name `drift.method` and `--method` use. */
export const driftMethods: ReadonlyMap<DriftMethod["name"], DriftMethod> = new Map(
  [ks, wassersteinNorm, psi, jensenShannon, chiSquare, zTest].map((method) => [method.name, method]),
);
