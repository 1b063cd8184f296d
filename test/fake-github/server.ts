import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for api.github.com over real HTTP. Tests register routes for the endpoints a
 * scenario needs; every request is recorded, and a request no route answers is a test failure
 * (renovate's http-mock: unmatched calls fail, `unused()` lists routes never called).
 */
export interface FakeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
  raw: Buffer;
}

export interface FakeResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, `?` included; empty when there is none. */
  search: string;
  body: unknown;
  matched: boolean;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  source: string;
  handler: Handler;
  calls: number;
  optional: boolean;
}

export interface FakeGitHub {
  /** API root, e.g. http://127.0.0.1:41234 (Octokit `baseUrl`; Probot `GHE_HOST=127.0.0.1:41234` + `GHE_PROTOCOL=http` maps to `/api/v3`, which is served too). */
  url: string;
  host: string;
  requests: RecordedRequest[];
  /** `pattern` like `/repos/:owner/:repo/issues/:number/comments`; a trailing `*` param (`:ref*`) matches slashes. */
  route(method: string, pattern: string, handler: Handler, options?: { optional?: boolean }): void;
  /** Requests no route answered (they got a 404). */
  unmatched(): RecordedRequest[];
  /** Routes registered but never called (optional ones excluded). */
  unused(): string[];
  close(): Promise<void>;
}

function compile(pattern: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = pattern
    .split("/")
    .map((part) => {
      const match = /^:(\w+)(\*)?$/.exec(part);
      if (!match) return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
      keys.push(match[1]!);
      return match[2] ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { regex: new RegExp(`^${source}$`), keys };
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const routes: Route[] = [];
  const requests: RecordedRequest[] = [];

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://fake");
    // GitHub Enterprise clients put the API under /api/v3.
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
    const method = req.method ?? "GET";
    let body: unknown = raw.length > 0 ? raw.toString("utf8") : undefined;
    if (typeof body === "string" && /json/.test(req.headers["content-type"] ?? "")) {
      try {
        body = JSON.parse(body);
      } catch {}
    }
    const record: RecordedRequest = { method, path, search: url.search, body, matched: false };
    requests.push(record);
    for (const route of routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      route.calls++;
      record.matched = true;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(match[i + 1]!)]));
      try {
        const reply = await route.handler({
          method,
          path,
          params,
          query: url.searchParams,
          headers: req.headers,
          body,
          raw,
        });
        send(res, reply.status ?? 200, reply.body, reply.headers);
      } catch (error) {
        send(res, 500, {
          message: `fake handler failed: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      return;
    }
    send(res, 404, { message: `Not Found (no fake route for ${method} ${path})` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    route(method, pattern, handler, options = {}) {
      const { regex, keys } = compile(pattern);
      routes.push({
        method: method.toUpperCase(),
        pattern: regex,
        keys,
        source: `${method.toUpperCase()} ${pattern}`,
        handler,
        calls: 0,
        optional: options.optional ?? false,
      });
    },
    unmatched: () => requests.filter((r) => !r.matched),
    unused: () => routes.filter((r) => r.calls === 0 && !r.optional).map((r) => r.source),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const isBuffer = Buffer.isBuffer(body);
  const payload = body === undefined ? "" : isBuffer ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": isBuffer ? "application/octet-stream" : "application/json; charset=utf-8",
    ...headers,
  });
  res.end(payload);
}
