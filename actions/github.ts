import { Octokit } from "octokit";
import { UserError } from "../core/errors.js";
import { repository, runnerEnv } from "./runtime.js";

export interface ActionGitHub {
  octokit: Octokit;
  owner: string;
  repo: string;
}

/**
 * An Octokit for the runner's API (GITHUB_API_URL) and repository (GITHUB_REPOSITORY), on the token the
 * step's `inputName` input gave, else GITHUB_TOKEN; `needs` says what the token is for when there is none.
 */
export function actionGitHub(
  needs: string,
  given: string | undefined,
  inputName = "github-token",
): ActionGitHub {
  const env = runnerEnv();
  const auth = given ?? env.GITHUB_TOKEN;
  if (!auth) {
    throw new UserError(`${needs} needs a token: pass ${inputName} (default github.token)`, {
      field: `with.${inputName}`,
    });
  }
  return { octokit: new Octokit({ auth, baseUrl: env.GITHUB_API_URL }), ...repository(env) };
}
