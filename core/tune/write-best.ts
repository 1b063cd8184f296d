import { isMap, parseDocument } from "yaml";
import { ModelConfig } from "../config/schema.js";
import { UserError } from "../errors.js";
import { parseAt } from "../parse.js";
import type { Params } from "./schema.js";

/**
 * The config text with the best params set in its `model:` block. Edits the YAML document in place,
 * so comments, key order and every other key survive. Params are checked first: they may come from
 * shard files, which are untrusted.
 */
export function writeBestParams(text: string, params: Params, file: string): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new UserError(`invalid YAML: ${doc.errors[0]!.message}`, { file });
  const model = doc.get("model");
  if (model !== undefined && !isMap(model)) {
    throw new UserError("expected a mapping to write the best params into", { file, field: "model" });
  }
  const current = (model?.toJSON() ?? {}) as unknown;
  parseAt(
    ModelConfig,
    { ...(current as object), ...params },
    {
      what: "the best params are not a valid model: block",
      file,
      field: "model",
    },
  );
  for (const [key, value] of Object.entries(params)) {
    // Lists stay on one line (`hidden: [64, 32]`), as people write them.
    doc.setIn(["model", key], doc.createNode(value, { flow: true }));
  }
  return doc.toString();
}
