import { z } from "zod";
import { GithubConfig } from "../core/config/schema.js";
import { describeError, UserError } from "../core/errors.js";
import { escapeMarkdown } from "../core/report/index.js";
import { COMMANDS, type Command, type CommandName, dispatchInputs, HELP, parseCommand } from "./commands.js";
import {
  atLeast,
  baseConfig,
  comment,
  dispatch,
  type GitHub,
  getPull,
  type Pull,
  type Role,
  react,
  roleOf,
} from "./github.js";
import type { IssueCommentEvent, RepoRef } from "./payloads.js";
import { acceptRegression, type Deps } from "./reports.js";

/** What a command the bot runs itself (no workflow) gets: the pull request as it was checked. */
interface Local {
  deps: Deps;
  number: number;
  user: string;
  /** The pull request, its head checked to predate the comment; undefined for `help`. */
  pull: Pull | undefined;
}
type LocalHandler = (at: Local, command: Command) => Promise<void>;

/** Commands without a workflow in the table; each must have a handler here (a test checks). */
export const LOCAL_COMMANDS: Partial<Record<CommandName, LocalHandler>> = {
  help: ({ deps, number }) => comment(deps.gh, deps.repo, number, HELP),
  "accept-regression": ({ deps, number, user, pull }, command) =>
    acceptRegression(deps, pull!.head.sha, [{ number }], user, (command.args as { reason: string }).reason),
};
/** Commands that read nothing of the pull request. */
const NEEDS_NO_HEAD: ReadonlySet<CommandName> = new Set(["help"]);

/**
 * `/modelgate ...` on a pull request. Every command passes the collaborator-permission API first; when
 * that API fails the command is refused (fail closed). The user always learns the outcome by reaction.
 */
export async function onComment(deps: Deps, event: IssueCommentEvent): Promise<void> {
  const { gh, repo } = deps;
  const parsed = parseCommand(event.comment.body);
  // Bots never command the bot: that is how two bots end up replying to each other forever.
  if (!parsed || !event.issue.pull_request || event.comment.user.type === "Bot") return;
  const user = event.comment.user.login;
  const number = event.issue.number;
  const refuse = async (why: string) => {
    await react(gh, repo, event.comment.id, "confused");
    await comment(gh, repo, number, `@${user} ${why}`);
  };

  const name = parsed.ok ? parsed.command.name : parsed.name;
  const needed: Role = parsed.ok ? COMMANDS[parsed.command.name].role : parsed.role;
  // Side by side: the reply to a quick command should not wait for the reaction.
  const [, role] = await Promise.all([
    react(gh, repo, event.comment.id, "eyes"),
    roleOf(gh, repo, user).catch(() => undefined),
  ]);
  if (role === undefined) {
    return refuse("I could not check your permission on this repository, so I did nothing. Try again later.");
  }
  if (!atLeast(role, needed)) {
    return refuse(
      `\`/modelgate ${escapeMarkdown(name, 40)}\` needs the ${needed} role on this repository; you have ${role}.`,
    );
  }
  if (!parsed.ok) {
    return refuse(
      `\`/modelgate ${escapeMarkdown(name, 40)}\` did not run: ${escapeMarkdown(parsed.error, 300)}.`,
    );
  }
  try {
    await execute(deps, parsed.command, { number, user, writtenAt: event.comment.created_at });
  } catch (error) {
    const message =
      error instanceof UserError ? error.message : "it failed on GitHub's side; see the bot's log";
    if (!(error instanceof UserError)) deps.logError(describeError(error).message);
    return refuse(`\`/modelgate ${name}\` did not run: ${escapeMarkdown(message, 500)}.`);
  }
  await react(gh, repo, event.comment.id, "rocket");
}

async function execute(
  deps: Deps,
  command: Command,
  at: { number: number; user: string; writtenAt: string },
): Promise<void> {
  const { gh, repo } = deps;
  const pull = NEEDS_NO_HEAD.has(command.name)
    ? undefined
    : await checkedPull(gh, repo, at.number, at.writtenAt);
  const entry = COMMANDS[command.name];
  const workflowKey = "workflow" in entry ? entry.workflow : undefined;
  if (!workflowKey) {
    const handler = LOCAL_COMMANDS[command.name];
    if (!handler) throw new Error(`no handler for /modelgate ${command.name}`);
    return handler({ deps, number: at.number, user: at.user, pull }, command);
  }
  const config = await baseConfig(gh, repo, pull!.base.sha);
  const workflows = config?.github.workflows ?? GithubConfig.parse({}).workflows;
  // Dispatched on the base branch, so the workflow file that runs is the reviewed one, never the PR's;
  // the SHA is the one checked against the comment above, not whatever the head is when the job starts.
  await dispatch(
    gh,
    repo,
    workflows[workflowKey],
    pull!.base.ref,
    dispatchInputs(command, { sha: pull!.head.sha, pullRequest: at.number }),
  );
}

const CheckSuites = z.object({
  check_suites: z.array(z.object({ created_at: z.iso.datetime({ offset: true }) })).max(1000),
});

/**
 * The pull request, refused when its head commit arrived after the comment was written: the commenter
 * reviewed an older head, and the command must not run (or publish, or accept) a commit nobody saw.
 * GitHub records a commit's arrival as the creation of its check suites (one per app, made on push).
 */
export async function checkedPull(
  gh: GitHub,
  repo: RepoRef,
  number: number,
  writtenAt: string,
): Promise<Pull> {
  const pull = await getPull(gh, repo, number);
  if (pull.state !== "open") throw new UserError(`pull request #${number} is ${pull.state}`);
  const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}/check-suites", {
    ...repo,
    ref: pull.head.sha,
    per_page: 100,
  });
  const arrivals = CheckSuites.parse(data).check_suites.map((s) => Date.parse(s.created_at));
  const short = pull.head.sha.slice(0, 7);
  if (arrivals.length === 0) {
    throw new UserError(
      `GitHub has no record yet of when ${short} (the head) was pushed, so I cannot tell it is the commit you saw; comment again in a minute`,
    );
  }
  if (Math.min(...arrivals) > Date.parse(writtenAt)) {
    throw new UserError(`the head moved to ${short} after your comment; review it and comment again`);
  }
  // A force-push back to an older commit brings a head whose suites predate the comment: the pull
  // request's own events say when its head was force-pushed.
  if (await forcePushedSince(gh, repo, number, Date.parse(writtenAt))) {
    throw new UserError(
      `the head was force-pushed to ${short} after your comment; review it and comment again`,
    );
  }
  return pull;
}

const IssueEvents = z.array(
  z.object({ event: z.string().max(100), created_at: z.iso.datetime({ offset: true }) }),
);
/** Pages of pull-request events read at most: 2,000 events. */
const MAX_EVENT_PAGES = 20;

async function forcePushedSince(gh: GitHub, repo: RepoRef, number: number, since: number): Promise<boolean> {
  let pages = 0;
  for await (const page of gh.paginate.iterator("GET /repos/{owner}/{repo}/issues/{issue_number}/events", {
    ...repo,
    issue_number: number,
    per_page: 100,
  })) {
    const events = IssueEvents.parse(page.data);
    if (events.some((e) => e.event === "head_ref_force_pushed" && Date.parse(e.created_at) > since))
      return true;
    if (++pages >= MAX_EVENT_PAGES) {
      throw new UserError(
        `pull request #${number} has too many events to check for a force-push; comment again on a new pull request`,
      );
    }
  }
  return false;
}
