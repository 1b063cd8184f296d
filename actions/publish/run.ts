import { readFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { Octokit } from "octokit";
import { z } from "zod";
import { UserError } from "../../core/errors.js";
import { publishModel } from "../../core/publish/index.js";
import { openRegistry } from "../../core/registry/index.js";
import { parseReportText } from "../../core/report/index.js";
import { projectContext } from "../project.js";
import { actionsLogger, input, optionalString } from "../runtime.js";

const Env = z.object({
  GITHUB_REPOSITORY: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name"),
  GITHUB_API_URL: z.string().url().default("https://api.github.com"),
  GITHUB_EVENT_PATH: z.string().optional(),
  GITHUB_ACTOR: z.string().optional(),
});
const ReleaseEvent = z.object({ release: z.object({ tag_name: z.string().min(1) }) });
const DispatchEvent = z.object({
  inputs: z
    .object({
      sha: z
        .string()
        .regex(/^[0-9a-f]{40}$/)
        .optional(),
    })
    .optional(),
});
const Sha = z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character commit SHA");

export async function publishAction(): Promise<number> {
  const { cwd, loaded } = await projectContext();
  const env = Env.parse(process.env);
  const token = input("github-token", optionalString) ?? process.env.GITHUB_TOKEN;
  if (!token)
    throw new UserError("a token is needed to upload release assets", { field: "with.github-token" });
  const [owner, repo] = env.GITHUB_REPOSITORY.split("/") as [string, string];
  const event = await readEvent(env.GITHUB_EVENT_PATH);
  const released = ReleaseEvent.safeParse(event);
  // Dispatched by `/modelgate promote` there is no release yet: one is made at the promoted commit.
  const sha = released.success
    ? undefined
    : (input("sha", Sha.optional()) ??
      DispatchEvent.safeParse(event).data?.inputs?.sha ??
      process.env.GITHUB_SHA);
  const tag =
    input("tag", optionalString) ??
    (released.success
      ? released.data.release.tag_name
      : sha
        ? `${loaded.config.name}-${sha.slice(0, 7)}`
        : undefined);
  if (!tag) {
    throw new UserError("no release tag: run on a `release` event, or pass `tag` or `sha`", {
      field: "with.tag",
    });
  }
  const octokit = new Octokit({ auth: token, baseUrl: env.GITHUB_API_URL.replace(/\/$/, "") });
  const store = openRegistry(loaded.config.registry, {
    root: loaded.root,
    octokit,
    repository: env.GITHUB_REPOSITORY,
  });
  const reportFile = input("report", optionalString);
  const report = reportFile
    ? parseReportText(await readFile(path.resolve(cwd, reportFile), "utf8"), reportFile)
    : undefined;
  const model = input("model", z.string({ message: "required: the model folder to publish" }).min(1));

  const result = await publishModel({
    client: octokit,
    owner,
    repo,
    tag,
    modelDir: path.resolve(cwd, model),
    name: loaded.config.name,
    store,
    alias: input("alias", optionalString) ?? "champion",
    report,
    logger: actionsLogger,
    actor: env.GITHUB_ACTOR,
    createAt: released.success ? undefined : sha,
  });
  core.setOutput("version", String(result.version));
  core.setOutput("assets", result.assets.map((a) => a.name).join(","));
  core.setOutput(
    "changed",
    String(result.registered || result.aliasMoved || result.assets.some((a) => a.uploaded)),
  );
  await core.summary
    .addHeading(`modelgate: published ${loaded.config.name} v${result.version} with ${tag}`, 3)
    .addList([
      result.registered ? "registered a new version" : "the identical version was already registered",
      result.aliasMoved ? "moved the alias" : "the alias already pointed here",
      ...result.assets.map((a) => `${a.name}: ${a.uploaded ? "uploaded" : "unchanged"} (${a.size} bytes)`),
    ])
    .write();
  return 0;
}

async function readEvent(eventPath: string | undefined): Promise<unknown> {
  if (!eventPath) return undefined;
  try {
    return JSON.parse(await readFile(eventPath, "utf8"));
  } catch {
    return undefined;
  }
}
