import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { UserError } from "./errors.js";
import { describeIssue } from "./parse.js";

/** Largest config or schema file read; anything bigger is not a hand-written file. */
export const MAX_YAML_BYTES = 1 << 20;

/**
 * Parses YAML (or JSON) text with a zod schema. Errors name the file, the line and column the
 * YAML parser knows, the dotted field path, what was found and what was expected.
 */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string, file: string): z.infer<S> {
  if (text.length > MAX_YAML_BYTES) {
    throw new UserError(`file is ${text.length} bytes, more than the ${MAX_YAML_BYTES} allowed`, { file });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [first] = doc.errors;
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const message = first.message.split("\n")[0] ?? first.message;
    throw new UserError(`invalid YAML: ${message}`, { file, line: pos.line, column: pos.col });
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const result = schema.safeParse(value ?? {}, { reportInput: true });
  if (result.success) return result.data;

  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
  // For an unknown key, point at the key itself rather than at the mapping holding it.
  const node = nodeAt(doc.contents, [...path, ...keys.slice(0, 1)], keys.length > 0);
  const field = [...path, ...keys.slice(0, 1)].join(".") || "(top level)";
  const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
  throw new UserError(describeIssue(issue), { file, field, line: pos?.line, column: pos?.col });
}

/** The YAML node at a zod path; for unknown keys, the key itself so the line points at it. */
function nodeAt(root: Node | null | undefined, path: string[], keyOfLast = false): Node | undefined {
  let node: Node | null | undefined = root;
  for (const [depth, part] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value) === part);
      if (!pair) return node;
      node = (depth === path.length - 1 && keyOfLast ? pair.key : pair.value) as Node | null;
    } else if (isSeq(node)) {
      node = node.items[Number(part)] as Node | undefined;
    } else {
      return node ?? undefined;
    }
  }
  return node ?? undefined;
}
