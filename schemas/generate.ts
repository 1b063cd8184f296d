import { z } from "zod";
import { Config } from "../core/config/schema.js";

/** JSON Schemas shipped for editor completion, generated from the zod schemas that parse the files. */
export function jsonSchemas(): Record<string, string> {
  const entries: Array<[string, z.ZodType, string]> = [
    ["modelgate.schema.json", Config, "modelgate.yml: the modelgate project config"],
  ];
  const out: Record<string, string> = {};
  for (const [file, schema, title] of entries) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
    out[file] = `${JSON.stringify({ ...json, title }, null, 2)}\n`;
  }
  return out;
}
