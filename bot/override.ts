import { UserError } from "../core/errors.js";
import { escapeMarkdown } from "../core/report/index.js";
import { ACCEPT_ACTION, findCheckRun, isOurs } from "./checks.js";
import { atLeast, comment, type Role, roleOf } from "./github.js";
import type { CheckRunEvent } from "./payloads.js";
import { acceptRegression, type Deps, rejudge } from "./reports.js";

export const BUTTON_REASON = "accepted with the check run's Accept regression button";

/** The pull requests a check run event is about: listed, or (a fork's) as our check run recorded them. */
async function pullsOf(deps: Deps, event: CheckRunEvent): Promise<{ number: number }[]> {
  const { check_run: check } = event;
  if (check.pull_requests.length) return check.pull_requests;
  const ours = await findCheckRun(deps.gh, deps.repo, check.head_sha, deps);
  return (ours?.state?.pulls ?? []).map((number) => ({ number }));
}

/** check_run.requested_action: the Accept regression button, honoured for maintainers and admins only. */
export async function onCheckAction(deps: Deps, event: CheckRunEvent): Promise<void> {
  const { check_run: check, requested_action: action } = event;
  if (!isOurs(check, deps) || action?.identifier !== ACCEPT_ACTION.identifier) return;
  const user = event.sender.login;
  const listed = await pullsOf(deps, event);
  const tell = async (text: string) => {
    for (const { number } of listed) await comment(deps.gh, deps.repo, number, `@${user} ${text}`);
  };
  let role: Role;
  try {
    role = await roleOf(deps.gh, deps.repo, user);
  } catch {
    return tell("I could not check your permission on this repository, so the check stays as it is.");
  }
  if (!atLeast(role, "maintain")) {
    return tell(
      `accepting a regression needs the maintain role on this repository; you have ${role}. The check stays failed.`,
    );
  }
  try {
    await acceptRegression(deps, check.head_sha, listed, user, BUTTON_REASON);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    await tell(`the regression was not accepted: ${escapeMarkdown(error.message, 500)}.`);
  }
}

/**
 * check_run.rerequested: "Re-run" on our check judges the last report again, for users with write (an
 * App with checks permission can ask too; it is not a maintainer). A standing accept stays.
 */
export async function onCheckRerequest(deps: Deps, event: CheckRunEvent): Promise<void> {
  const { check_run: check } = event;
  if (!isOurs(check, deps)) return;
  const user = event.sender.login;
  const role = await roleOf(deps.gh, deps.repo, user).catch(() => "none" as const);
  if (!atLeast(role, "write")) {
    deps.logWarn(`Re-run of check run ${check.id} by ${user} (${role}) ignored: it needs write`);
    return;
  }
  await rejudge(deps, check.head_sha, check.pull_requests);
}
