import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/**
 * GitHub's own OpenAPI description (@octokit/openapi, generated/api.github.com.json) as the judge of
 * a fake GitHub: every request must name an operation GitHub has, with declared query parameters and
 * a body its schema accepts; every answer must be one GitHub documents for that operation.
 *
 * A fake keeps only the fields it models, so an answer is first completed from the schema (required
 * fields the fake leaves out get a placeholder of the right type); the fields it does send must be
 * right. `complete` then `checkResponse`, in that order.
 */

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is walked as plain JSON
type Json = any;
interface Operation {
  template: string;
  pattern: RegExp;
  params: number;
  method: string;
  op: Json;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);
const SPEC_ID = "gh";

export interface OpenApiChecker {
  /** Violations of the request against the operation it names; [] when it is fine. */
  checkRequest(method: string, path: string, query: URLSearchParams, body: unknown): string[];
  /** The fake's answer with the required fields it left out filled in from the schema. */
  complete(method: string, path: string, status: number, body: unknown): unknown;
  checkResponse(method: string, path: string, status: number, body: unknown): string[];
}

let loaded: { spec: Json; ajv: Ajv; operations: Operation[] } | undefined;

function load() {
  if (loaded) return loaded;
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  // OpenAPI 3.0's `nullable` is not JSON Schema: spelled out as a type union where it appears.
  const components = JSON.parse(
    JSON.stringify(spec.components).replaceAll('"#/components/', `"${SPEC_ID}#/components/`),
    (_key, value) => (value && typeof value === "object" && !Array.isArray(value) ? nullable(value) : value),
  );
  ajv.addSchema({ $id: SPEC_ID, components });
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Json>(spec.paths)) {
    const parts = template.split("/");
    const params = parts.filter((p) => p.startsWith("{")).length;
    const source = parts
      .map((p) => (p.startsWith("{") ? "([^/]+)" : p.replace(/[.+?^$()|[\]\\]/g, "\\$&")))
      .join("/");
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      if (item[method]) {
        operations.push({
          template,
          pattern: new RegExp(`^${source}$`),
          params,
          method: method.toUpperCase(),
          op: {
            ...item[method],
            parameters: [...(item.parameters ?? []), ...(item[method].parameters ?? [])],
          },
        });
      }
    }
  }
  // A literal segment beats a parameter: /pulls/{n}/files must not be read as a contents path.
  operations.sort((a, b) => a.params - b.params);
  loaded = { spec, ajv, operations };
  return loaded;
}

function nullable(schema: Json): Json {
  if (schema.nullable !== true) return schema;
  const { nullable: _n, ...rest } = schema;
  if (typeof rest.type === "string") return { ...rest, type: [rest.type, "null"], ...enumWithNull(rest) };
  return { anyOf: [rest, { type: "null" }] };
}

function enumWithNull(schema: Json): Json {
  return Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {};
}

/** The operation GitHub has for this method and path; `{path}` of the contents API may hold slashes. */
function find(method: string, path: string): Operation | undefined {
  const { operations } = load();
  const exact = operations.find((o) => o.method === method && o.pattern.test(path));
  if (exact) return exact;
  return operations.find(
    (o) =>
      o.method === method &&
      o.template.endsWith("{path}") &&
      new RegExp(o.pattern.source.replace(/\(\[\^\/\]\+\)\$$/, "(.+)$")).test(path),
  );
}

function resolve(schema: Json): Json {
  let current = schema;
  const { spec } = load();
  while (current?.$ref) {
    const pointer = String(current.$ref)
      .replace(/^(gh)?#\//, "")
      .split("/");
    current = pointer.reduce((node: Json, key: string) => node?.[key], spec);
  }
  return current ? nullable(current) : current;
}

const compiled = new WeakMap<object, ValidateFunction>();
function validator(schema: Json): ValidateFunction {
  let found = compiled.get(schema);
  if (!found) {
    const { ajv } = load();
    const text = JSON.stringify(schema).replaceAll('"#/components/', `"${SPEC_ID}#/components/`);
    found = ajv.compile(
      JSON.parse(text, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? nullable(v) : v)),
    );
    compiled.set(schema, found);
  }
  return found;
}

function errors(validate: ValidateFunction, value: unknown, where: string): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 3).map((e) => `${where}${e.instancePath} ${e.message}`);
}

function placeholder(schema: Json): unknown {
  const s = resolve(schema);
  if (!s) return null;
  if (s.allOf) return s.allOf.reduce((acc: Json, part: Json) => fill(part, acc), undefined);
  if (s.anyOf || s.oneOf) return placeholder((s.anyOf ?? s.oneOf)[0]);
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "string":
      return (
        {
          "date-time": "2024-01-01T00:00:00Z",
          uri: "https://example.com/x",
          email: "x@example.com",
          date: "2024-01-01",
        }[s.format as string] ?? "x"
      );
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return false;
    case "array":
      return [];
    case "null":
      return null;
    default:
      return fill(s, {});
  }
}

/** `value` with every required property its schema asks for and it lacks, recursively. */
function fill(schema: Json, value: unknown): unknown {
  const s = resolve(schema);
  if (!s) return value;
  if (value === undefined) return placeholder(s);
  if (value === null) return value;
  if (s.allOf) return s.allOf.reduce((acc: Json, part: Json) => fill(part, acc), value);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    // The first alternative that, completed, the whole schema accepts.
    for (const alternative of alternatives) {
      const candidate = fill(alternative, structuredClone(value));
      if (validator(s)(candidate)) return candidate;
    }
    return value;
  }
  if (Array.isArray(value)) return s.items ? value.map((item) => fill(s.items, item)) : value;
  if (typeof value !== "object") return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, property] of Object.entries<Json>(s.properties ?? {})) {
    if (key in out) out[key] = fill(property, out[key]);
    else if ((s.required ?? []).includes(key)) out[key] = placeholder(property);
  }
  return out;
}

function responseSchema(op: Json, status: number): Json | undefined | null {
  const response = resolve(op.responses?.[String(status)] ?? op.responses?.default);
  if (!response) return null;
  return response.content?.["application/json"]?.schema;
}

export function openApiChecker(): OpenApiChecker {
  load();
  return {
    checkRequest(method, path, query, body) {
      const operation = find(method, path);
      if (!operation) return [`${method} ${path}: no such operation in GitHub's API`];
      const where = `${method} ${operation.template}`;
      const out: string[] = [];
      const declared = new Map<string, Json>(
        operation.op.parameters
          .map(resolve)
          .filter((p: Json) => p.in === "query")
          .map((p: Json) => [p.name, p]),
      );
      for (const [name, raw] of query) {
        const parameter = declared.get(name);
        if (!parameter) {
          out.push(`${where}: unknown query parameter '${name}'`);
          continue;
        }
        const schema = resolve(parameter.schema);
        const value = schema?.type === "integer" || schema?.type === "number" ? Number(raw) : raw;
        out.push(...errors(validator(parameter.schema), value, `${where} ?${name}`));
      }
      const schema = operation.op.requestBody?.content?.["application/json"]?.schema;
      if (schema && body !== undefined && !Buffer.isBuffer(body)) {
        out.push(...errors(validator(schema), body, `${where} body`));
      }
      return out;
    },
    complete(method, path, status, body) {
      const operation = find(method, path);
      const schema = operation && responseSchema(operation.op, status);
      return schema && body !== undefined && !Buffer.isBuffer(body) ? fill(schema, body) : body;
    },
    checkResponse(method, path, status, body) {
      const operation = find(method, path);
      if (!operation) return [`${method} ${path}: no such operation in GitHub's API`];
      const where = `${method} ${operation.template} -> ${status}`;
      const schema = responseSchema(operation.op, status);
      if (schema === null) return [`${where}: GitHub documents no ${status} answer here`];
      if (!schema || body === undefined || Buffer.isBuffer(body)) return [];
      return errors(validator(schema), body, where);
    },
  };
}
