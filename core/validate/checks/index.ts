import type { CheckGroup } from "../check.js";
import { balanceChecks } from "./balance.js";
import { duplicateChecks } from "./duplicates.js";
import { kindChecks } from "./kinds.js";
import { columnChecks, raggedChecks, rowChecks } from "./structure.js";
import { valueChecks } from "./values.js";

/**
 * Every check group, in report order. `valueChecks` must come before `duplicateChecks`:
 * its loops fill the row hashes that duplicate detection reads.
 */
export const CHECK_GROUPS: readonly CheckGroup<unknown>[] = [
  columnChecks,
  rowChecks,
  raggedChecks,
  valueChecks,
  kindChecks,
  duplicateChecks,
  balanceChecks,
];
