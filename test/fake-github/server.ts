import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpenApiChecker } from "./openapi.js";

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
  /**
   * Throws, listing them, when a request found no route or a (non-optional) route was never called: the
   * shared after-test check (the bot harness's close() runs it; other suites call it in afterEach).
   */
  verify(): void;
  /** Requests and answers that GitHub's OpenAPI description refuses (with `openapi` only). */
  violations: string[];
  close(): Promise<void>;
}

export interface FakeOptions {
  /** Holds every request and answer to GitHub's OpenAPI description (test/fake-github/openapi.ts). */
  openapi?: OpenApiChecker;
  /** Paths GitHub's description has no say on (blob storage behind a redirect). */
  exempt?: (path: string) => boolean;
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

/** Fakes started in this test file and not yet verified: test/setup.ts verifies them after the file. */
const unverified = new Set<FakeGitHub>();

/** Verifies every fake the file started and did not verify itself: no unmatched request, no unused route. */
export function verifyFakes(): void {
  const fakes = [...unverified];
  unverified.clear();
  for (const fake of fakes) fake.verify();
}

export async function startFakeGitHub(options: FakeOptions = {}): Promise<FakeGitHub> {
  const routes: Route[] = [];
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const checker = options.openapi;
  const checked = (path: string) => checker !== undefined && !options.exempt?.(path);

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
    // uploads.github.com serves the release-asset upload under the API's own path.
    const apiPath = path.replace(/^\/uploads(?=\/repos\/)/, "");
    if (checked(path)) violations.push(...checker!.checkRequest(method, apiPath, url.searchParams, body));
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
        const status = reply.status ?? 200;
        let answer = reply.body;
        if (checked(path)) {
          answer = checker!.complete(method, apiPath, status, answer);
          violations.push(...checker!.checkResponse(method, apiPath, status, answer));
        }
        send(res, status, answer, reply.headers);
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

  const fake: FakeGitHub = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    violations,
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
    verify() {
      unverified.delete(fake);
      const unmatched = requests.filter((r) => !r.matched).map((r) => `${r.method} ${r.path}${r.search}`);
      const unused = routes.filter((r) => r.calls === 0 && !r.optional).map((r) => r.source);
      const problems = [
        ...unmatched.map((r) => `unmatched request: ${r}`),
        ...unused.map((r) => `unused route: ${r}`),
      ];
      if (problems.length > 0) throw new Error(`fake GitHub:\n${problems.join("\n")}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  unverified.add(fake);
  return fake;
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
