import type { DriftMethod } from "../view.js";
import { chiSquare } from "./chisquare.js";
import { jensenShannon } from "./jensenshannon.js";
import { ks } from "./ks.js";
import { psi } from "./psi.js";
import { wassersteinNorm } from "./wasserstein.js";
import { zTest } from "./z.js";

/**
 * Every drift method, by the name `drift.method` and `--method` use: the one list of them. `npm run schemas`
 * copies the names into the config enum (core/config/plugin-names.ts) and the action.yml descriptions, and
 * test/contract/drift-methods.test.ts fails when a file in this folder, this map or those copies disagree.
 */
// biome-ignore format: one method a line, so adding one is a one-line diff
const METHODS: readonly DriftMethod[] = [
  ks,
  wassersteinNorm,
  psi,
  jensenShannon,
  chiSquare,
  zTest,
];

export const driftMethods: ReadonlyMap<string, DriftMethod> = new Map(METHODS.map((m) => [m.name, m]));

/** The method called `name`; a name the config accepts but the registry lacks is a bug (exit 3), not `auto`. */
export function driftMethod(name: string): DriftMethod {
  const method = driftMethods.get(name);
  if (!method) {
    throw new Error(
      `drift method '${name}' is not in core/drift/methods/index.ts (registered: ${[...driftMethods.keys()].join(", ")})`,
    );
  }
  return method;
}
