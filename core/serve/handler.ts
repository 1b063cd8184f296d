import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { UserError } from "../errors.js";
import type { Logger } from "../ports.js";
import { errorText, HttpError } from "./http.js";
import type { Metrics } from "./metrics.js";
import type { Reply, Route, RouteContext } from "./routes.js";

export interface HandlerDeps {
  routes: Route[];
  metrics: Metrics;
  logger: Logger;
  /** Set once close() starts: responses then ask the client to close, so draining ends. */
  isClosing: () => boolean;
}

// A client's id is echoed into logs and headers: keep it short and printable.
const REQUEST_ID = /^[\w.:@/+=-]{1,200}$/;

/** The request listener: route, run, reply. Nothing a client sends can make it throw or answer 5xx. */
export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { routes, metrics, logger } = deps;
  return (req, res) => {
    const started = performance.now();
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query < 0 ? url : url.slice(0, query);
    const method = req.method ?? "GET";
    let label = "unmatched";

    const finish = (reply: Reply, headers?: Record<string, string>) => {
      const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      const head: Record<string, string | number> = {
        "content-type": reply.contentType ?? "application/json",
        "content-length": Buffer.byteLength(text),
        "x-request-id": requestId,
      };
      if (headers) Object.assign(head, headers);
      if (deps.isClosing()) head.connection = "close";
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(reply.status, head);
        res.end(method === "HEAD" ? undefined : text);
      }
      metrics.request(label, method, reply.status, (performance.now() - started) / 1000);
    };

    const fail = (error: unknown) => {
      const refused = refusal(error);
      if (refused) {
        metrics.error(label, refused.kind);
        finish(refused.reply, refused.headers);
        return;
      }
      metrics.error(label, "internal");
      logger.error(
        `${method} ${path} (${requestId}): ${error instanceof Error ? error.stack : String(error)}`,
      );
      finish({ status: 500, body: { error: "internal error; the server log has the details", requestId } });
    };

    try {
      const { route, match } = find(routes, decodePath(path));
      if (!route || !match) throw new HttpError(404, `no route for ${path}`);
      label = route.label;
      // HEAD is GET without the body (load balancers probe health routes with it).
      const handler = route.methods[(method === "HEAD" ? "GET" : method) as "GET" | "POST"];
      if (!handler) {
        const allow = allowed(route).join(", ");
        throw new HttpError(405, `${method} is not allowed on ${route.label}; use ${allow}`, { allow });
      }
      const ctx: RouteContext = { req, name: match[1], version: match[2], requestId };
      const reply = handler(ctx);
      if (reply instanceof Promise) reply.then(finish, fail);
      else finish(reply);
    } catch (error) {
      fail(error);
    }
  };
}

const ERROR_KINDS: Record<number, string> = { 413: "too_large", 404: "not_found", 422: "not_finite" };

/** A client's error as its reply and its kind for /metrics; undefined for anything else (a bug: 500). */
function refusal(
  error: unknown,
): { reply: Reply; headers?: Record<string, string>; kind: string } | undefined {
  if (error instanceof HttpError) {
    return {
      reply: { status: error.status, body: { error: error.message } },
      headers: error.headers,
      kind: ERROR_KINDS[error.status] ?? "bad_request",
    };
  }
  if (error instanceof UserError) {
    return { reply: { status: 400, body: { error: errorText(error) } }, kind: "bad_request" };
  }
  return undefined;
}

function allowed(route: Route): string[] {
  const methods = Object.keys(route.methods);
  return methods.includes("GET") ? [...methods, "HEAD"] : methods;
}

function find(routes: Route[], path: string): { route?: Route; match?: RegExpExecArray } {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) return { route, match };
  }
  return {};
}

function decodePath(path: string): string {
  if (!path.includes("%")) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HttpError(400, `the path is not valid percent-encoding: ${path.slice(0, 200)}`);
  }
}
