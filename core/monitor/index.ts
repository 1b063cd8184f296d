import type { DriftResult } from "../drift/schema.js";
import type { Logger } from "../ports.js";
import { isAlert, syncDriftIssue } from "./issue.js";
import { findRetrainPull, openRetrainPullRequest, type RetrainFile } from "./pull.js";
import type { GitHubClient, IssueOutcome, PullOutcome, Repo } from "./schema.js";

export { alertState, isAlert, issueMarker, safeName, syncDriftIssue } from "./issue.js";
export {
  findRetrainPull,
  openRetrainPullRequest,
  type RetrainFile,
  type RetrainPullOptions,
  retrainBranch,
} from "./pull.js";
export * from "./schema.js";

export interface Retrained {
  files: RetrainFile[];
  /** The pull request's description: what was retrained on, its metrics. */
  body: string;
}

export interface MonitorOptions {
  client: GitHubClient;
  target: Repo;
  model: string;
  /** The rendered drift report (issue body, pull request description). */
  report: string;
  /** Keep the drift issue in sync (default true). */
  issue?: boolean;
  /** Retrains when asked: on drift or degradation, and only when no retraining pull request is open. */
  retrain?: { base: string; train: () => Promise<Retrained> };
  logger: Logger;
}

export interface MonitorOutcome {
  issue?: IssueOutcome;
  pull?: PullOutcome;
}

/** The GitHub side of a drift check: the model's issue, then (optionally) a retraining pull request. */
export async function monitorDrift(result: DriftResult, options: MonitorOptions): Promise<MonitorOutcome> {
  const outcome: MonitorOutcome = {};
  if (options.issue !== false) {
    outcome.issue = await syncDriftIssue(
      options.client,
      options.target,
      options.model,
      result,
      options.report,
    );
    options.logger.info(
      `drift issue: ${outcome.issue.action}${outcome.issue.url ? ` (${outcome.issue.url})` : ""}`,
    );
  }
  if (options.retrain && isAlert(result)) {
    const { client, target, model } = options;
    // Training is the costly part: only when no retraining pull request is open already.
    outcome.pull = await findRetrainPull(client, target, model);
    if (!outcome.pull) {
      const trained = await options.logger.group("retrain", options.retrain.train);
      outcome.pull = await openRetrainPullRequest(client, target, {
        base: options.retrain.base,
        model,
        title: `Retrain ${model} after drift`,
        files: trained.files,
        body: trained.body,
      });
    }
    options.logger.info(`retraining pull request: ${outcome.pull.action} (${outcome.pull.url})`);
  }
  return outcome;
}
