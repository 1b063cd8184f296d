import { UserError } from "../core/errors.js";
import { escapeMarkdown } from "../core/report/index.js";
import { ACCEPT_ACTION, CHECK_NAME } from "./checks.js";
import { atLeast, comment, pullsWithHead, type Role, roleOf } from "./github.js";
import type { CheckRunEvent } from "./payloads.js";
import { acceptRegression, type Deps, rejudge } from "./reports.js";

export const BUTTON_REASON = "accepted with the check run's Accept regression button";

/** check_run.requested_action: the Accept regression button, honoured for maintainers and admins only. */
export async function onCheckAction(deps: Deps, event: CheckRunEvent): Promise<void> {
  const { check_run: check, requested_action: action } = event;
  if (check.name !== CHECK_NAME || action?.identifier !== ACCEPT_ACTION.identifier) return;
  const user = event.sender.login;
  const listed = check.pull_requests.length
    ? check.pull_requests
    : (await pullsWithHead(deps.gh, deps.repo, check.head_sha)).map((number) => ({ number }));
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

/** check_run.rerequested: "Re-run" on the modelgate check judges the last report again. */
export async function onCheckRerequest(deps: Deps, event: CheckRunEvent): Promise<void> {
  if (event.check_run.name !== CHECK_NAME) return;
  await rejudge(deps, event.check_run.head_sha, event.check_run.pull_requests);
}
