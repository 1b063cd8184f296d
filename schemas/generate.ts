import { z } from "zod";
import { Config } from "../core/config/schema.js";
import { DataSchema } from "../core/data-schema/schema.js";
import { Report } from "../core/report/schema.js";
import { RunRecord } from "../core/tracking/schema.js";

/** JSON Schemas shipped for editors and other programs, generated from the zod schemas that parse the files. */
export function jsonSchemas(): Record<string, string> {
  const entries: Array<[string, z.ZodType, string]> = [
    ["modelgate.schema.json", Config, "modelgate.yml: the modelgate project config"],
    ["data-schema.schema.json", DataSchema, "a modelgate data schema (schemas/*.yml)"],
    ["report.schema.json", Report, "report.json: the modelgate-report artifact"],
    ["run.schema.json", RunRecord, "a tracked run (.modelgate/runs/*.json)"],
  ];
  const out: Record<string, string> = {};
  for (const [file, schema, title] of entries) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
    out[file] = `${JSON.stringify({ ...json, title }, null, 2)}\n`;
  }
  return out;
}
