import type { FakeGitHub, FakeRequest, FakeResponse, Handler } from "./server.js";

/**
 * A small, stateful GitHub behind the fake API: pull requests, comments, reactions, check runs,
 * artifacts, file contents, collaborator roles and workflow dispatches, enough for the bot's scenarios.
 * Every route needs the installation token the fake handed out, as GitHub does.
 */
export interface Pull {
  number: number;
  state: "open" | "closed";
  /** `label` is `owner:ref`, the owner being a fork's; the repository's own owner when left out. */
  head: { sha: string; ref: string; label?: string };
  base: { sha: string; ref: string };
}
export interface Comment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
}
export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  output: { title?: string; summary?: string; text?: string };
  annotations: unknown[];
  actions: { identifier: string }[];
  app: { id: number };
}
export interface Fault {
  method: string;
  path: RegExp;
  response: FakeResponse;
  times: number;
}

export interface GitHubState {
  fake: FakeGitHub;
  appId: number;
  botLogin: string;
  token: string;
  pulls: Map<number, Pull>;
  comments: Comment[];
  reactions: { comment: number; content: string }[];
  checkRuns: CheckRun[];
  /** run id -> the zip the run uploaded as `modelgate-report`. */
  artifacts: Map<number, Buffer>;
  /** `${sha}:${path}` -> file text. */
  files: Map<string, string>;
  roles: Map<string, string>;
  /** sha -> when its check suite was created (when GitHub saw the commit arrive); none: no suites. */
  checkSuites: Map<string, string>;
  /** The issue events of pull requests (e.g. head_ref_force_pushed), oldest first as GitHub lists them. */
  issueEvents: { issue: number; event: string; created_at: string }[];
  dispatches: { workflow: string; ref: string; inputs: Record<string, string> }[];
  /** Pull request number -> the paths it changes (default none). */
  pullFiles: Map<number, string[]>;
  /** Workflow run id -> its workflow file, event and branch (default the evaluation workflow on a pull request). */
  runs: Map<number, { path: string; event: string; head_branch: string | null }>;
  /** Answers the next `times` matching requests with `response` instead of the model. */
  fail(method: string, path: RegExp, response: FakeResponse, times?: number): void;
  /** Matching requests wait until the returned function is called. */
  hold(method: string, path: RegExp): () => void;
  /** Called with every comment the bot creates (the benchmark's stopwatch). */
  onComment?: (comment: Comment) => void;
  /** Requests other than the token exchange: what the bot did with its installation token. */
  apiCalls(): { method: string; path: string }[];
}

const PER_PAGE_MAX = 100;

export function installGitHubState(
  fake: FakeGitHub,
  options: { appId?: number; slug?: string; botLogin?: string } = {},
): GitHubState {
  const slug = options.slug ?? "modelgate-test";
  const faults: Fault[] = [];
  const holds: { method: string; path: RegExp; released: Promise<void> }[] = [];
  let nextId = 1000;
  const state: GitHubState = {
    fake,
    appId: options.appId ?? 4242,
    botLogin: options.botLogin ?? `${slug}[bot]`,
    token: "ghs_fakeinstallationtoken0000000000000",
    pulls: new Map(),
    comments: [],
    reactions: [],
    checkRuns: [],
    artifacts: new Map(),
    files: new Map(),
    roles: new Map(),
    checkSuites: new Map(),
    issueEvents: [],
    dispatches: [],
    pullFiles: new Map(),
    runs: new Map(),
    fail: (method, path, response, times = 1) => faults.push({ method, path, response, times }),
    hold: (method, path) => {
      let release = () => {};
      holds.push({ method, path, released: new Promise<void>((resolve) => (release = resolve)) });
      return () => release();
    },
    apiCalls: () =>
      fake.requests
        .filter((r) => !/^\/app\/installations\/\d+\/access_tokens$/.test(r.path))
        .map(({ method, path }) => ({ method, path })),
  };

  const authed =
    (handler: Handler): Handler =>
    async (req) => {
      for (const held of holds.filter((h) => h.method === req.method && h.path.test(req.path))) {
        await held.released;
      }
      const fault = faults.find((f) => f.times > 0 && f.method === req.method && f.path.test(req.path));
      if (fault) {
        fault.times--;
        return fault.response;
      }
      if (req.headers.authorization !== `token ${state.token}`)
        return { status: 401, body: { message: "Bad credentials" } };
      return handler(req);
    };
  const route = (method: string, pattern: string, handler: Handler) =>
    fake.route(method, pattern, authed(handler), { optional: true });
  const body = (req: FakeRequest) => req.body as Record<string, unknown>;

  fake.route(
    "POST",
    "/app/installations/:id/access_tokens",
    (req) =>
      /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(req.headers.authorization ?? "")
        ? {
            status: 201,
            body: { token: state.token, expires_at: new Date(Date.now() + 3_600_000).toISOString() },
          }
        : { status: 401, body: { message: "A JSON web token could not be decoded" } },
    { optional: true },
  );
  fake.route("GET", "/app", () => ({ body: { id: state.appId, slug } }), { optional: true });

  route("GET", "/repos/:owner/:repo/pulls/:number", (req) => {
    const pull = state.pulls.get(Number(req.params.number));
    return pull ? { body: pull } : { status: 404, body: { message: "Not Found" } };
  });
  route("GET", "/repos/:owner/:repo/pulls/:number/files", (req) =>
    page(
      req,
      (state.pullFiles.get(Number(req.params.number)) ?? []).map((filename) => ({
        sha: "0".repeat(40),
        filename,
        status: "modified",
        additions: 1,
        deletions: 0,
        changes: 1,
        blob_url: `https://github.com/o/r/blob/0/${filename}`,
        raw_url: `https://github.com/o/r/raw/0/${filename}`,
        contents_url: `https://api.github.com/repos/o/r/contents/${filename}`,
      })),
    ),
  );
  route("GET", "/repos/:owner/:repo/actions/runs/:id", (req) => {
    const id = Number(req.params.id);
    const facts = state.runs.get(id) ?? {
      path: ".github/workflows/modelgate.yml",
      event: "pull_request",
      head_branch: "feature",
    };
    return { body: { id, ...facts } };
  });
  route("GET", "/repos/:owner/:repo/pulls", (req) => {
    const head = req.query.get("head");
    const label = (p: Pull) => p.head.label ?? `${req.params.owner}:${p.head.ref}`;
    return page(
      req,
      [...state.pulls.values()].filter(
        (p) => p.state === (req.query.get("state") ?? "open") && (head === null || label(p) === head),
      ),
    );
  });
  route("GET", "/repos/:owner/:repo/contents/:path*", (req) => {
    const text = state.files.get(`${req.query.get("ref")}:${req.params.path}`);
    if (text === undefined) return { status: 404, body: { message: "Not Found" } };
    return {
      body: {
        type: "file",
        encoding: "base64",
        path: req.params.path,
        content: Buffer.from(text).toString("base64"),
      },
    };
  });
  route("GET", "/repos/:owner/:repo/collaborators/:user/permission", (req) => {
    const role = state.roles.get(req.params.user!) ?? "none";
    const legacy =
      { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read" }[role] ?? "none";
    return { body: { permission: legacy, role_name: role, user: { login: req.params.user } } };
  });
  route("POST", "/repos/:owner/:repo/issues/comments/:id/reactions", (req) => {
    state.reactions.push({ comment: Number(req.params.id), content: String(body(req).content) });
    return { status: 201, body: { id: nextId++, content: body(req).content } };
  });
  route("GET", "/repos/:owner/:repo/issues/:number/comments", (req) =>
    page(
      req,
      state.comments.filter((c) => c.issue === Number(req.params.number)),
    ),
  );
  route("POST", "/repos/:owner/:repo/issues/:number/comments", (req) => {
    const created = {
      id: nextId++,
      issue: Number(req.params.number),
      body: String(body(req).body),
      user: { login: state.botLogin, type: "Bot" },
    };
    state.comments.push(created);
    state.onComment?.(created);
    return { status: 201, body: created };
  });
  route("PATCH", "/repos/:owner/:repo/issues/comments/:id", (req) => {
    const found = state.comments.find((c) => c.id === Number(req.params.id));
    if (!found) return { status: 404, body: { message: "Not Found" } };
    if (found.user.login !== state.botLogin)
      return { status: 403, body: { message: "Resource not accessible by integration" } };
    found.body = String(body(req).body);
    return { body: found };
  });
  route("POST", "/repos/:owner/:repo/check-runs", (req) => {
    const b = body(req);
    const run: CheckRun = {
      id: nextId++,
      name: String(b.name),
      head_sha: String(b.head_sha),
      status: String(b.status ?? "queued"),
      conclusion: (b.conclusion as string | undefined) ?? null,
      external_id: (b.external_id as string | undefined) ?? null,
      output: (b.output as CheckRun["output"]) ?? {},
      annotations: [...((b.output as { annotations?: unknown[] })?.annotations ?? [])],
      actions: (b.actions as CheckRun["actions"]) ?? [],
      app: { id: state.appId },
    };
    state.checkRuns.push(run);
    return { status: 201, body: run };
  });
  route("PATCH", "/repos/:owner/:repo/check-runs/:id", (req) => {
    const run = state.checkRuns.find((r) => r.id === Number(req.params.id));
    if (!run) return { status: 404, body: { message: "Not Found" } };
    const { output, ...rest } = body(req) as Partial<CheckRun> & { output?: { annotations?: unknown[] } };
    if ((output?.annotations?.length ?? 0) > 50)
      return { status: 422, body: { message: "too many annotations" } };
    Object.assign(run, rest);
    if (output) {
      const { annotations = [], ...text } = output;
      run.output = text;
      run.annotations.push(...annotations);
    }
    return { body: run };
  });
  route("GET", "/repos/:owner/:repo/commits/:ref/check-runs", (req) => {
    const appId = req.query.get("app_id");
    const runs = state.checkRuns
      .filter(
        (r) =>
          r.head_sha === req.params.ref &&
          r.name === (req.query.get("check_name") ?? r.name) &&
          (appId === null || r.app.id === Number(appId)),
      )
      .reverse();
    return { body: { total_count: runs.length, check_runs: runs } };
  });
  route("GET", "/repos/:owner/:repo/commits/:ref/check-suites", (req) => {
    const at = state.checkSuites.get(req.params.ref!);
    const suites = at ? [{ id: 1, head_sha: req.params.ref, status: "queued", created_at: at }] : [];
    return { body: { total_count: suites.length, check_suites: suites } };
  });
  route("GET", "/repos/:owner/:repo/issues/:number/events", (req) =>
    page(
      req,
      state.issueEvents
        .filter((e) => e.issue === Number(req.params.number))
        .map((e, i) => ({ id: i + 1, event: e.event, created_at: e.created_at })),
    ),
  );
  route("GET", "/repos/:owner/:repo/actions/runs/:id/artifacts", (req) => {
    const zip = state.artifacts.get(Number(req.params.id));
    const artifacts = zip
      ? [
          {
            id: Number(req.params.id) + 1_000_000,
            name: "modelgate-report",
            size_in_bytes: zip.length,
            expired: false,
          },
        ]
      : [];
    return { body: { total_count: artifacts.length, artifacts } };
  });
  // GitHub answers with a redirect to short-lived blob storage; the client follows it.
  route("GET", "/repos/:owner/:repo/actions/artifacts/:id/zip", (req) => ({
    status: 302,
    headers: { location: `${fake.url}/_blobs/${Number(req.params.id) - 1_000_000}` },
  }));
  fake.route(
    "GET",
    "/_blobs/:id",
    (req) => ({ body: state.artifacts.get(Number(req.params.id)) ?? Buffer.alloc(0) }),
    {
      optional: true,
    },
  );
  route("POST", "/repos/:owner/:repo/actions/workflows/:workflow/dispatches", (req) => {
    const b = body(req) as { ref: string; inputs: Record<string, string> };
    state.dispatches.push({ workflow: req.params.workflow!, ref: b.ref, inputs: b.inputs });
    return { status: 204 };
  });

  function page<T>(req: FakeRequest, items: T[]): FakeResponse {
    const perPage = Math.min(Number(req.query.get("per_page") ?? 30), PER_PAGE_MAX);
    const number = Number(req.query.get("page") ?? 1);
    const slice = items.slice((number - 1) * perPage, number * perPage);
    if (number * perPage >= items.length) return { body: slice };
    const next = new URL(req.path, fake.url);
    next.searchParams.set("per_page", String(perPage));
    next.searchParams.set("page", String(number + 1));
    return { body: slice, headers: { link: `<${next}>; rel="next"` } };
  }

  return state;
}
