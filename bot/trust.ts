import path from "node:path";
import { z } from "zod";
import type { Config } from "../core/config/index.js";
import { UserError } from "../core/errors.js";
import { type GitHubClient, githubStore } from "../core/registry/index.js";
import { AliasIndex, ModelVersion, parseIndexFile } from "../core/registry/schema.js";
import type { Report } from "../core/report/index.js";
import { escapeMarkdown } from "../core/report/index.js";
import type { GitHub, Pull } from "./github.js";
import type { RepoRef } from "./payloads.js";

/**
 * The trust model (docs/security.md). A report is the pull request's claim: the bot believes it only
 * when it came from the configured evaluation workflow, that workflow was the reviewed one, and the
 * champion it compared with is the registry's current champion, read here by the bot itself.
 */

/** Paths whose change means the run executed workflow code nobody has reviewed yet. */
export const PROTECTED = /^\.github\/(?:workflows|actions)\//;
/** GitHub lists at most 3,000 files of a pull request; past that the bot cannot tell, so it assumes the worst. */
export const MAX_PR_FILES = 3000;

export interface RunFacts {
  id: number;
  path: string;
  event: string;
  head_branch: string | null;
}

export type RunStanding =
  | { counts: true; verified: boolean }
  /** `why` goes to the log only: a run of another workflow is not ours to judge. */
  | { counts: false; why: string };

/** `.github/workflows/<github.workflows.evaluate>` of the base branch's config. */
export function evaluateWorkflow(config: Config | undefined): string {
  const file = config?.github.workflows.evaluate ?? "modelgate.yml";
  return file.includes("/") ? path.posix.normalize(file) : `.github/workflows/${file}`;
}

/**
 * Only the configured workflow counts, and only on `pull_request`. A `workflow_dispatch` of it on the
 * pull request's base branch is the base's own reviewed workflow (what `/modelgate verify` starts).
 */
export function standing(run: RunFacts, pull: Pull, config: Config | undefined): RunStanding {
  const wanted = evaluateWorkflow(config);
  if (run.path !== wanted) return { counts: false, why: `a run of ${run.path}, not ${wanted}` };
  if (run.event === "pull_request") return { counts: true, verified: false };
  if (run.event === "workflow_dispatch" && run.head_branch === pull.base.ref) {
    return { counts: true, verified: true };
  }
  return { counts: false, why: `a ${run.event} run on ${run.head_branch ?? "no branch"}` };
}

const PullFile = z.object({ filename: z.string().max(4096) });

/** Workflow and local-action files the pull request changes (the run executed those, not the base's). */
export async function protectedChanges(gh: GitHub, repo: RepoRef, number: number): Promise<string[]> {
  const found: string[] = [];
  let seen = 0;
  for await (const page of gh.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    ...repo,
    pull_number: number,
    per_page: 100,
  })) {
    for (const file of z.array(PullFile).parse(page.data)) {
      seen++;
      if (PROTECTED.test(file.filename)) found.push(file.filename);
    }
  }
  if (seen >= MAX_PR_FILES) found.push(`(${seen} files or more: GitHub lists no further)`);
  return found;
}

export interface Champion {
  version: number;
  files: { path: string; sha256: string }[];
  testFingerprint?: string;
}

const FileContent = z.object({ type: z.literal("file"), encoding: z.literal("base64"), content: z.string() });

/**
 * The registry's current champion, as the base branch's config names the registry: the github
 * store's branch, or the local store's index files committed at the base commit.
 */
export async function registryChampion(
  gh: GitHub,
  repo: RepoRef,
  config: Config,
  baseSha: string,
): Promise<Champion | undefined> {
  const name = config.name;
  let record: ModelVersion | undefined;
  if (config.registry.store === "github") {
    const store = githubStore({ octokit: gh as unknown as GitHubClient, ...repo });
    let version: number | undefined;
    try {
      version = (await store.aliases(name)).champion;
    } catch (error) {
      if (error instanceof UserError && error.location.field === "name") return undefined;
      throw error;
    }
    if (version === undefined) return undefined;
    record = await store.get(name, String(version));
  } else {
    const root = `${path.posix.normalize(config.registry.path)}/models/${name}`;
    const read = async (file: string) => {
      try {
        const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
          ...repo,
          path: `${root}/${file}`,
          ref: baseSha,
        });
        return Buffer.from(FileContent.parse(data).content, "base64").toString("utf8");
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    };
    const aliases = await read("aliases.json");
    const version = aliases && parseIndexFile(AliasIndex, aliases, `${root}/aliases.json`).aliases.champion;
    if (version === undefined) return undefined;
    const text = await read(`versions/${version}/version.json`);
    if (!text) throw new UserError(`the champion v${version} has no version.json`, { file: root });
    record = parseIndexFile(ModelVersion, text, `${root}/versions/${version}/version.json`);
  }
  return {
    version: record.version,
    files: record.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    ...(record.dataFingerprints?.test ? { testFingerprint: record.dataFingerprints.test } : {}),
  };
}

/** What the bot found about a report's baseline; applied to the recomputed gates by bot/verdict.ts. */
export interface Findings {
  /** Said first in the comment. */
  notes: string[];
  /** Every delta gate (maxDrop, maxIncrease) fails with this reason. */
  failDeltas?: string;
  /** The champion metrics the gates may use: the report's only when its champion is the registry's. */
  trustChampion: boolean;
  /** No verdict at all: the check says this and stays non-green. */
  refuse?: { title: string; reason: string };
}

const sameFiles = (a: Champion["files"], b: Champion["files"]): boolean => {
  const key = (files: Champion["files"]) =>
    files
      .map((f) => `${f.path}\0${f.sha256}`)
      .sort()
      .join("\n");
  return key(a) === key(b);
};

/** Holds the report's baseline against the registry's champion and its test data against the champion's. */
export function checkBaseline(report: Report, champion: Champion | undefined, config: Config): Findings {
  const claimed = report.baseline;
  if (!champion) {
    if (claimed?.kind === "registry") {
      return {
        notes: [],
        trustChampion: false,
        refuse: {
          title: "Stale: the registry has no champion now",
          reason: `the report compared with champion v${claimed.version}, but the registry has no champion now; re-run the workflow`,
        },
      };
    }
    // No champion anywhere: the first model. Champion metrics a report brings along are not evidence.
    return { notes: [], trustChampion: false };
  }
  if (claimed?.kind !== "registry") {
    const what = claimed === undefined ? "no recorded champion" : `'${claimed.kind}'`;
    return {
      notes: [],
      trustChampion: false,
      failDeltas: `the registry's champion is v${champion.version}, but the report compared with ${what}`,
    };
  }
  if (claimed.version !== champion.version) {
    return {
      notes: [],
      trustChampion: false,
      refuse: {
        title: `Stale: the champion moved from v${claimed.version} to v${champion.version}`,
        reason: `the champion moved from v${claimed.version} to v${champion.version} since this run; re-run the workflow to compare with v${champion.version}`,
      },
    };
  }
  if (!sameFiles(claimed.files, champion.files)) {
    return {
      notes: [],
      trustChampion: false,
      failDeltas: `the report's champion files do not match the registry's v${champion.version} (sha256 differ)`,
    };
  }
  const now = report.data.test?.fingerprint;
  const before = champion.testFingerprint;
  if (now && before && now !== before) {
    const accept = config.github.testDataChange === "accept";
    const note = `> [!WARNING]\n> **The test data changed** since champion v${champion.version} (fingerprint ${escapeMarkdown(before.slice(0, 12), 20)} → ${escapeMarkdown(now.slice(0, 12), 20)}): the deltas compare both models on the new rows.${accept ? " Delta gates need a maintainer's `/modelgate accept-regression <reason>`." : ""}`;
    return {
      notes: [note],
      trustChampion: true,
      ...(accept ? { failDeltas: "the test data changed since the champion: a maintainer must accept" } : {}),
    };
  }
  return { notes: [], trustChampion: true };
}

/** The verdict of a run whose workflow the pull request itself changed. */
export function unverified(files: string[]): { title: string; reason: string } {
  const shown = files
    .slice(0, 5)
    .map((f) => `\`${escapeMarkdown(f, 200)}\``)
    .join(", ");
  return {
    title: "Unverified: this pull request changes workflow code",
    reason: `this pull request changes ${shown}${files.length > 5 ? ` and ${files.length - 5} more` : ""}, so its run is not evidence; a maintainer's \`/modelgate verify\` runs the base branch's workflow on this commit`,
  };
}
