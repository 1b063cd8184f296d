import { z } from "zod";
import type { FakeGitHub, FakeResponse } from "./server.js";

/**
 * In-memory issues, issue comments and pull requests of one repository behind GitHub's REST routes,
 * for a fake GitHub server. Only what drift monitoring calls: list (open, paged), create, update.
 */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason?: string;
  comments: string[];
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: "open" | "closed";
}

export interface FakeIssuesPulls {
  issues: FakeIssue[];
  pulls: FakePull[];
}

const NewIssue = z.object({ title: z.string().min(1), body: z.string().optional() });
const IssueUpdate = z.object({
  body: z.string().optional(),
  state: z.enum(["open", "closed"]).optional(),
  state_reason: z.string().optional(),
});
const NewComment = z.object({ body: z.string().min(1) });
const NewPull = z.object({
  title: z.string().min(1),
  head: z.string().min(1),
  base: z.string().min(1),
  body: z.string().optional(),
});

const invalid = (message: string): FakeResponse => ({ status: 422, body: { message } });
const notFound: FakeResponse = { status: 404, body: { message: "Not Found" } };

export function installIssuesPulls(fake: FakeGitHub, owner: string, repo: string): FakeIssuesPulls {
  const state: FakeIssuesPulls = { issues: [], pulls: [] };
  let next = 1;
  const url = (kind: string, n: number) => `https://github.com/${owner}/${repo}/${kind}/${n}`;
  const issueBody = (i: FakeIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    html_url: url("issues", i.number),
  });
  const pullBody = (p: FakePull) => ({
    number: p.number,
    title: p.title,
    body: p.body,
    state: p.state,
    html_url: url("pull", p.number),
    head: { ref: p.head, label: `${owner}:${p.head}` },
    base: { ref: p.base },
  });
  const route = (method: string, pattern: string, handler: Parameters<FakeGitHub["route"]>[2]) =>
    fake.route(
      method,
      `/repos/:owner/:repo${pattern}`,
      (request) =>
        request.params.owner === owner && request.params.repo === repo ? handler(request) : notFound,
      // A model of GitHub, not a scenario's expectation: a test need not call every endpoint.
      { optional: true },
    );
  const issue = (n: string | undefined) => state.issues.find((i) => i.number === Number(n));

  route("GET", "/issues", ({ query }) => {
    const wanted = query.get("state") ?? "open";
    const perPage = Number(query.get("per_page") ?? 30);
    const page = Number(query.get("page") ?? 1);
    // GitHub lists pull requests among issues, marked with a pull_request key.
    const all = [
      ...state.issues.map(issueBody),
      ...state.pulls.map((p) => ({ ...pullBody(p), pull_request: { url: url("pull", p.number) } })),
    ]
      .filter((i) => wanted === "all" || i.state === wanted)
      .sort((a, b) => b.number - a.number);
    return { body: all.slice((page - 1) * perPage, page * perPage) };
  });
  route("POST", "/issues", ({ body }) => {
    const input = NewIssue.safeParse(body);
    if (!input.success) return invalid(input.error.issues[0]!.message);
    const created: FakeIssue = {
      number: next++,
      title: input.data.title,
      body: input.data.body ?? "",
      state: "open",
      comments: [],
    };
    state.issues.push(created);
    return { status: 201, body: issueBody(created) };
  });
  route("PATCH", "/issues/:number", ({ params, body }) => {
    const found = issue(params.number);
    const input = IssueUpdate.safeParse(body);
    if (!found) return notFound;
    if (!input.success) return invalid(input.error.issues[0]!.message);
    Object.assign(found, Object.fromEntries(Object.entries(input.data).filter(([, v]) => v !== undefined)));
    return { body: issueBody(found) };
  });
  route("POST", "/issues/:number/comments", ({ params, body }) => {
    const found = issue(params.number);
    const input = NewComment.safeParse(body);
    if (!found) return notFound;
    if (!input.success) return invalid(input.error.issues[0]!.message);
    found.comments.push(input.data.body);
    return { status: 201, body: { id: found.comments.length, body: input.data.body } };
  });
  route("GET", "/pulls", ({ query }) => {
    const wanted = query.get("state") ?? "open";
    const head = query.get("head");
    const listed = state.pulls.filter(
      (p) => (wanted === "all" || p.state === wanted) && (!head || head === `${owner}:${p.head}`),
    );
    return { body: listed.map(pullBody) };
  });
  route("POST", "/pulls", ({ body }) => {
    const input = NewPull.safeParse(body);
    if (!input.success) return invalid(input.error.issues[0]!.message);
    if (state.pulls.some((p) => p.state === "open" && p.head === input.data.head)) {
      return invalid(`A pull request already exists for ${owner}:${input.data.head}.`);
    }
    const created: FakePull = { number: next++, ...input.data, body: input.data.body ?? "", state: "open" };
    state.pulls.push(created);
    return { status: 201, body: pullBody(created) };
  });
  return state;
}
