import path from "node:path";
import { z } from "zod";
import type { Config } from "../core/config/index.js";
import { UserError } from "../core/errors.js";
import { readFileAt } from "../core/registry/contents.js";
import { githubStore, type ModelVersion } from "../core/registry/index.js";
import { readChampionRecord } from "../core/registry/layout.js";
import type { Report } from "../core/report/index.js";
import { escapeMarkdown } from "../core/report/index.js";
import { client, type GitHub, type Pull } from "./github.js";
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
  const record =
    config.registry.store === "github"
      ? await githubChampion(gh, repo, config.name)
      : await committedChampion(gh, repo, config, baseSha);
  if (!record) return undefined;
  return {
    version: record.version,
    files: record.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    ...(record.dataFingerprints?.test ? { testFingerprint: record.dataFingerprints.test } : {}),
  };
}

async function githubChampion(gh: GitHub, repo: RepoRef, name: string): Promise<ModelVersion | undefined> {
  const store = githubStore({ octokit: client(gh), ...repo });
  let version: number | undefined;
  try {
    version = (await store.aliases(name)).champion;
  } catch (error) {
    if (error instanceof UserError && error.location.field === "name") return undefined;
    throw error;
  }
  return version === undefined ? undefined : store.get(name, String(version));
}

/** The local store's index as committed at the base: the store's own layout, read through the contents API. */
function committedChampion(
  gh: GitHub,
  repo: RepoRef,
  config: Config,
  baseSha: string,
): Promise<ModelVersion | undefined> {
  const root = path.posix.normalize(config.registry.path);
  return readChampionRecord(
    (file) => readFileAt(client(gh), repo, `${root}/${file}`, baseSha),
    config.name,
    root,
  );
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
