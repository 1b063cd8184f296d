import { createHash } from "node:crypto";
import { z } from "zod";
import type { FakeGitHub, FakeResponse } from "./server.js";

/**
 * An in-memory Git object store behind GitHub's Git data API (refs, commits, trees, blobs), for one
 * repository on a fake GitHub server. Ref updates keep GitHub's semantics: without `force`, a PATCH
 * that is not a fast forward is refused with 422, so compare-and-swap writers really race.
 */
type GitObject =
  | { type: "blob"; content: Buffer }
  | { type: "tree"; entries: TreeItem[] }
  | { type: "commit"; tree: string; parents: string[]; message: string };

interface TreeItem {
  name: string;
  mode: string;
  type: "blob" | "tree";
  sha: string;
}

export interface FakeGitData {
  refs: Map<string, string>;
  /** Every 422 answered to a ref write: "Update is not a fast forward", "Reference already exists". */
  rejections: string[];
  /** The files of a branch (full path -> content), for asserting the layout. */
  files(branch: string): Map<string, Buffer>;
}

const Sha = z.string().regex(/^[0-9a-f]{40}$/);
const NewBlob = z.object({ content: z.string(), encoding: z.enum(["base64", "utf-8"]).default("utf-8") });
const NewTree = z.object({
  base_tree: Sha.optional(),
  tree: z.array(
    z.object({
      path: z.string().min(1),
      mode: z.enum(["100644", "100755", "040000", "160000", "120000"]),
      type: z.enum(["blob", "tree"]),
      sha: Sha.nullable().optional(),
      content: z.string().optional(),
    }),
  ),
});
const NewCommit = z.object({ message: z.string(), tree: Sha, parents: z.array(Sha).default([]) });
const NewRef = z.object({ ref: z.string().regex(/^refs\/.+\/.+/), sha: Sha });
const RefUpdate = z.object({ sha: Sha, force: z.boolean().default(false) });

const invalid = (message: string): FakeResponse => ({ status: 422, body: { message } });
const notFound: FakeResponse = { status: 404, body: { message: "Not Found" } };

export function installGitData(fake: FakeGitHub, owner: string, repo: string): FakeGitData {
  const objects = new Map<string, GitObject>();
  const refs = new Map<string, string>();
  const rejections: string[] = [];
  let clock = 0;

  const put = (object: GitObject, header: string, payload: Buffer): string => {
    const sha = createHash("sha1")
      .update(Buffer.concat([Buffer.from(`${header} ${payload.length}\0`), payload]))
      .digest("hex");
    objects.set(sha, object);
    return sha;
  };
  const putBlob = (content: Buffer) => put({ type: "blob", content }, "blob", content);
  const putTree = (entries: TreeItem[]) => {
    const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : 1));
    return put({ type: "tree", entries: sorted }, "tree", Buffer.from(JSON.stringify(sorted)));
  };
  const get = <T extends GitObject["type"]>(sha: string, type: T) => {
    const object = objects.get(sha);
    return object?.type === type ? (object as Extract<GitObject, { type: T }>) : undefined;
  };

  const flatten = (sha: string, prefix = "", out = new Map<string, TreeItem>(), withTrees = false) => {
    for (const entry of get(sha, "tree")?.entries ?? []) {
      const full = prefix + entry.name;
      if (entry.type === "tree") {
        if (withTrees) out.set(full, entry);
        flatten(entry.sha, `${full}/`, out, withTrees);
      } else out.set(full, entry);
    }
    return out;
  };
  // Builds nested trees bottom-up from full blob paths, the way GitHub expands `a/b/c` tree entries.
  const build = (flat: Map<string, TreeItem>): string => {
    const here: TreeItem[] = [];
    const below = new Map<string, Map<string, TreeItem>>();
    for (const [full, item] of flat) {
      const [head, ...rest] = full.split("/");
      if (rest.length === 0) here.push({ ...item, name: head! });
      else {
        if (!below.has(head!)) below.set(head!, new Map());
        below.get(head!)!.set(rest.join("/"), item);
      }
    }
    for (const [name, sub] of below) here.push({ name, mode: "040000", type: "tree", sha: build(sub) });
    return putTree(here);
  };
  const isAncestor = (ancestor: string, commit: string): boolean => {
    const seen = new Set<string>();
    const queue = [commit];
    while (queue.length > 0) {
      const sha = queue.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(get(sha, "commit")?.parents ?? []));
    }
    return false;
  };

  const base = `/repos/:owner/:repo/git`;
  const route = (method: string, pattern: string, handler: Parameters<FakeGitHub["route"]>[2]) =>
    fake.route(
      method,
      `${base}${pattern}`,
      (request) =>
        request.params.owner === owner && request.params.repo === repo ? handler(request) : notFound,
      // A model of GitHub, not a scenario's expectation: a test need not call every endpoint.
      { optional: true },
    );
  const parse = <T>(schema: z.ZodType<T>, body: unknown): T | FakeResponse => {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : invalid(`Invalid request: ${parsed.error.issues[0]?.message}`);
  };
  const isResponse = (value: unknown): value is FakeResponse =>
    typeof value === "object" && value !== null && "status" in value;
  const refBody = (name: string) => ({ ref: name, object: { type: "commit", sha: refs.get(name)! } });

  route("GET", "/ref/:ref*", ({ params }) =>
    refs.has(`refs/${params.ref}`) ? { body: refBody(`refs/${params.ref}`) } : notFound,
  );
  route("POST", "/refs", ({ body }) => {
    const input = parse(NewRef, body);
    if (isResponse(input)) return input;
    if (!get(input.sha, "commit")) return invalid("Object does not exist");
    if (refs.has(input.ref)) {
      rejections.push("Reference already exists");
      return invalid("Reference already exists");
    }
    refs.set(input.ref, input.sha);
    return { status: 201, body: refBody(input.ref) };
  });
  route("PATCH", "/refs/:ref*", ({ params, body }) => {
    const input = parse(RefUpdate, body);
    if (isResponse(input)) return input;
    const name = `refs/${params.ref}`;
    const current = refs.get(name);
    if (current === undefined) return invalid("Reference does not exist");
    if (!get(input.sha, "commit")) return invalid("Object does not exist");
    if (!input.force && !isAncestor(current, input.sha)) {
      rejections.push("Update is not a fast forward");
      return invalid("Update is not a fast forward");
    }
    refs.set(name, input.sha);
    return { body: refBody(name) };
  });
  route("POST", "/blobs", ({ body }) => {
    const input = parse(NewBlob, body);
    if (isResponse(input)) return input;
    const sha = putBlob(Buffer.from(input.content, input.encoding === "base64" ? "base64" : "utf8"));
    return { status: 201, body: { sha, url: `${fake.url}/repos/${owner}/${repo}/git/blobs/${sha}` } };
  });
  route("GET", "/blobs/:sha", ({ params }) => {
    const blob = get(params.sha!, "blob");
    if (!blob) return notFound;
    return {
      body: {
        sha: params.sha,
        size: blob.content.length,
        encoding: "base64",
        content: blob.content.toString("base64"),
      },
    };
  });
  route("POST", "/trees", ({ body }) => {
    const input = parse(NewTree, body);
    if (isResponse(input)) return input;
    if (input.base_tree && !get(input.base_tree, "tree")) return invalid("Invalid tree info: base_tree");
    const flat = input.base_tree ? flatten(input.base_tree) : new Map<string, TreeItem>();
    for (const entry of input.tree) {
      for (const key of [...flat.keys()]) if (key.startsWith(`${entry.path}/`)) flat.delete(key);
      flat.delete(entry.path);
      if (entry.sha === null) continue;
      const sha = entry.content !== undefined ? putBlob(Buffer.from(entry.content)) : entry.sha;
      if (!sha || !get(sha, entry.type)) return invalid(`Invalid tree info: ${entry.path}`);
      if (entry.type === "tree")
        for (const [sub, item] of flatten(sha)) flat.set(`${entry.path}/${sub}`, item);
      else flat.set(entry.path, { name: entry.path, mode: entry.mode, type: "blob", sha });
    }
    const sha = build(flat);
    return { status: 201, body: { sha, tree: treeBody(sha, false), truncated: false } };
  });
  const treeBody = (sha: string, recursive: boolean) => {
    const listed = recursive
      ? [...flatten(sha, "", new Map(), true)].map(([path, item]) => ({ ...item, path }))
      : (get(sha, "tree")?.entries ?? []).map((item) => ({ ...item, path: item.name }));
    return listed.map(({ name: _name, ...item }) => ({
      ...item,
      ...(item.type === "blob" ? { size: get(item.sha, "blob")!.content.length } : {}),
    }));
  };
  route("GET", "/trees/:sha", ({ params, query }) => {
    if (!get(params.sha!, "tree")) return notFound;
    return {
      body: { sha: params.sha, tree: treeBody(params.sha!, query.has("recursive")), truncated: false },
    };
  });
  route("POST", "/commits", ({ body }) => {
    const input = parse(NewCommit, body);
    if (isResponse(input)) return input;
    if (!get(input.tree, "tree") || !input.parents.every((p) => get(p, "commit")))
      return invalid("Invalid tree or parent");
    // The tick stands in for the author date, so identical trees committed twice still differ.
    const object = {
      type: "commit" as const,
      tree: input.tree,
      parents: input.parents,
      message: input.message,
    };
    const sha = put(object, "commit", Buffer.from(JSON.stringify({ ...object, tick: clock++ })));
    return {
      status: 201,
      body: {
        sha,
        tree: { sha: input.tree },
        parents: input.parents.map((p) => ({ sha: p })),
        message: input.message,
      },
    };
  });
  route("GET", "/commits/:sha", ({ params }) => {
    const commit = get(params.sha!, "commit");
    if (!commit) return notFound;
    return {
      body: {
        sha: params.sha,
        tree: { sha: commit.tree },
        parents: commit.parents.map((p) => ({ sha: p })),
        message: commit.message,
      },
    };
  });

  return {
    refs,
    rejections,
    files(branch) {
      const head = refs.get(`refs/heads/${branch}`);
      const tree = head ? get(head, "commit")?.tree : undefined;
      const out = new Map<string, Buffer>();
      if (tree) for (const [path, item] of flatten(tree)) out.set(path, get(item.sha, "blob")!.content);
      return out;
    },
  };
}
