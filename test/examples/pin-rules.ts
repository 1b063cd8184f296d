/** The pin rules that need the workflow's text (comments), not its parsed YAML. */
import type { Violation } from "./workflow-model.js";

/** action-pins.json: each action repository's verified tag and the commit it names. */
export type Pins = Record<string, { tag: string; sha: string; inputs?: string[] }>;

/**
 * The rules that need the text: each SHA pin names its tag in a comment (`# vX.Y.Z`), and that tag and
 * SHA are the ones recorded in action-pins.json (read from the action repository's own tags).
 */
export function checkPins(text: string, pins: Pins): Violation[] {
  const out: Violation[] = [];
  text.split("\n").forEach((line, index) => {
    const match = /^\s*(?:-\s*)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$/.exec(line);
    if (!match) return;
    const uses = match[1]!;
    const comment = (match[2] ?? "").trim();
    const where = `line ${index + 1}`;
    const pin = /^([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([0-9a-f]{40})$/.exec(uses);
    if (!pin) return;
    const tag = /^(v\d+\.\d+\.\d+)$/.exec(comment)?.[1];
    if (!tag) {
      out.push({
        rule: "pin-names-its-tag",
        where,
        message: `${uses} needs a '# vX.Y.Z' comment naming its tag`,
      });
      return;
    }
    const known = pins[pin[1]!];
    if (!known) {
      out.push({ rule: "pin-matches-tag", where, message: `${pin[1]} is not in action-pins.json` });
    } else if (known.tag !== tag || known.sha !== pin[2]) {
      out.push({
        rule: "pin-matches-tag",
        where,
        message: `${pin[1]}@${pin[2]!.slice(0, 12)} # ${tag}: action-pins.json has ${known.sha.slice(0, 12)} # ${known.tag}`,
      });
    }
  });
  return out;
}
