import { readFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { z } from "zod";
import { fsError, UserError } from "../../core/errors.js";
import { publishModel } from "../../core/publish/index.js";
import { openRegistry } from "../../core/registry/index.js";
import { parseReportText } from "../../core/report/index.js";
import { actionGitHub } from "../github.js";
import { projectContext } from "../project.js";
import {
  actionsLogger,
  input,
  optionalString,
  type RunnerEnv,
  readEventFile,
  runnerEnv,
} from "../runtime.js";

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
  const env = runnerEnv();
  const { octokit, owner, repo } = actionGitHub(
    "uploading release assets",
    input("github-token", optionalString),
  );
  const { tag, createAt } = await releaseTarget(env, loaded.config.name);
  const store = openRegistry(loaded.config.registry, {
    root: loaded.root,
    octokit,
    repository: `${owner}/${repo}`,
  });
  const report = await reportInput(cwd);
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
    createAt,
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

/**
 * The release to attach the model to: a `release` event's tag; dispatched by `/modelgate promote` there
 * is no release yet, so one is made at the promoted commit (`sha` input, the dispatch's sha, GITHUB_SHA).
 */
async function releaseTarget(env: RunnerEnv, name: string): Promise<{ tag: string; createAt?: string }> {
  const event = await readEventFile(env.GITHUB_EVENT_PATH);
  const released = ReleaseEvent.safeParse(event);
  const sha = released.success
    ? undefined
    : (input("sha", Sha.optional()) ?? DispatchEvent.safeParse(event).data?.inputs?.sha ?? env.GITHUB_SHA);
  const tag =
    input("tag", optionalString) ??
    (released.success ? released.data.release.tag_name : sha ? `${name}-${sha.slice(0, 7)}` : undefined);
  if (!tag) {
    throw new UserError("no release tag: run on a `release` event, or pass `tag` or `sha`", {
      field: "with.tag",
    });
  }
  return { tag, ...(sha ? { createAt: sha } : {}) };
}

/** The `report` input: the evaluation report for the model card, if given. */
async function reportInput(cwd: string) {
  const file = input("report", optionalString);
  if (!file) return undefined;
  const text = await readFile(path.resolve(cwd, file), "utf8").catch((error: unknown) => {
    throw fsError(error, file);
  });
  return parseReportText(text, file);
}
