import { GithubConfig } from "../core/config/schema.js";
import { describeError, UserError } from "../core/errors.js";
import { escapeMarkdown } from "../core/report/index.js";
import { COMMAND_ROLES, type Command, HELP, parseCommand } from "./commands.js";
import { atLeast, baseConfig, comment, dispatch, getPull, type Role, react, roleOf } from "./github.js";
import type { IssueCommentEvent } from "./payloads.js";
import { acceptRegression, type Deps } from "./reports.js";

type Workflow = keyof ReturnType<typeof GithubConfig.parse>["workflows"];
const WORKFLOW_OF: Partial<Record<Command["name"], Workflow>> = {
  retrain: "retrain",
  compare: "retrain",
  drift: "drift",
  tune: "tune",
  promote: "publish",
};

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
  const needed: Role = parsed.ok ? COMMAND_ROLES[parsed.command.name] : parsed.role;
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
  if (!parsed.ok) return refuse(`${escapeMarkdown(parsed.error, 300)}.`);
  try {
    await execute(deps, parsed.command, number, user);
  } catch (error) {
    const message =
      error instanceof UserError ? error.message : "it failed on GitHub's side; see the bot's log";
    if (!(error instanceof UserError)) deps.logError(describeError(error).message);
    return refuse(`\`/modelgate ${name}\` did not run: ${escapeMarkdown(message, 500)}.`);
  }
  await react(gh, repo, event.comment.id, "rocket");
}

async function execute(deps: Deps, command: Command, number: number, user: string): Promise<void> {
  const { gh, repo } = deps;
  if (command.name === "help") return comment(gh, repo, number, HELP);
  // The head is read now: a push after the comment must not change what the command runs on.
  const pull = await getPull(gh, repo, number);
  if (command.name === "accept-regression") {
    return acceptRegression(deps, pull.head.sha, [{ number }], user, command.args.reason);
  }
  const config = await baseConfig(gh, repo, pull.base.sha);
  const workflows = config?.github.workflows ?? GithubConfig.parse({}).workflows;
  const workflow = workflows[WORKFLOW_OF[command.name]!];
  // Dispatched on the base branch, so the workflow file that runs is the reviewed one, never the PR's.
  await dispatch(gh, repo, workflow, pull.base.ref, {
    command: command.name,
    sha: pull.head.sha,
    pull_request: String(number),
    args: JSON.stringify(command.args),
  });
}
