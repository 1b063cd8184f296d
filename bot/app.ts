import type { ApplicationFunction, Logger, Probot } from "probot";
import { z } from "zod";
import { describeError, UserError } from "../core/errors.js";
import { onComment } from "./chatops.js";
import { queueCheck } from "./checks.js";
import type { GitHub } from "./github.js";
import { onCheckAction, onCheckRerequest } from "./override.js";
import { CheckRunEvent, IssueCommentEvent, PullRequestEvent, repoOf, WorkflowRunEvent } from "./payloads.js";
import { type Deps, onWorkflowRun, pullKey } from "./reports.js";
import { DeliveryLru, KeyedQueue } from "./work.js";

export interface AppOptions {
  /** The login the bot comments as; by default `<app slug>[bot]`, asked of GET /app once. */
  botLogin?: string;
  now?: () => Date;
}

export interface ModelgateApp {
  app: ApplicationFunction;
  /** Resolves when the work of every delivery received so far is done. */
  idle(): Promise<void>;
  /** Jobs that failed with an internal error (an outage or a bug), not a user's mistake. */
  failures(): number;
}

interface Delivery {
  id: string;
  payload: unknown;
  octokit: GitHub;
}

const AppInfo = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,100}$/) });

/**
 * The GitHub App. Handlers only check and enqueue, so GitHub gets its answer at once (it gives up
 * after 10 s and redelivers); the work runs in the background, serialised per pull request.
 */
export function createModelgate(options: AppOptions = {}): ModelgateApp {
  const deliveries = new DeliveryLru();
  let log: Logger | undefined;
  let failures = 0;
  const queue = new KeyedQueue((error, key) => {
    if (error instanceof UserError) return log?.warn({ key }, error.message);
    failures++;
    log?.error({ key }, describeError(error).message);
  });

  const app: ApplicationFunction = (probot: Probot) => {
    const logger = probot.log.child({ name: "modelgate" });
    log = logger;
    let login: Promise<string> | undefined;
    const botLogin = (): Promise<string> => {
      if (options.botLogin) return Promise.resolve(options.botLogin);
      login ??= probot
        .auth()
        .then((gh) => gh.request("GET /app"))
        .then(({ data }) => `${AppInfo.parse(data).slug}[bot]`)
        .catch((error: unknown) => {
          login = undefined;
          throw error;
        });
      return login;
    };

    function accept<S extends z.ZodType>(
      schema: S,
      keyOf: (payload: z.infer<S>) => string,
      work: (deps: Deps, payload: z.infer<S>) => Promise<void>,
    ) {
      return async (delivery: Delivery): Promise<void> => {
        if (!deliveries.first(delivery.id)) {
          logger.info({ delivery: delivery.id }, "repeated delivery ignored");
          return;
        }
        const parsed = schema.safeParse(delivery.payload);
        if (!parsed.success) {
          const field = parsed.error.issues[0]?.path.join(".");
          logger.warn({ delivery: delivery.id, field }, "payload ignored: a field is missing or malformed");
          return;
        }
        const payload = parsed.data as z.infer<S> & Parameters<typeof repoOf>[0];
        const deps: Deps = {
          gh: delivery.octokit,
          repo: repoOf(payload),
          queue,
          botLogin,
          now: options.now ?? (() => new Date()),
          logError: (message) => logger.error(message),
        };
        queue.push(keyOf(payload), () => work(deps, payload));
      };
    }

    const pr = (p: PullRequestEvent) => pullKey(repoOf(p), p.pull_request.number);
    const check = (p: CheckRunEvent) => {
      const first = p.check_run.pull_requests[0];
      return first ? pullKey(repoOf(p), first.number) : `sha:${p.check_run.head_sha}`;
    };
    probot.on(
      ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"],
      accept(PullRequestEvent, pr, (deps, p) => queueCheck(deps.gh, deps.repo, p.pull_request.head.sha)),
    );
    probot.on(
      "workflow_run.completed",
      accept(
        WorkflowRunEvent,
        (p) => `run:${p.workflow_run.id}`,
        (deps, p) => onWorkflowRun(deps, p.workflow_run),
      ),
    );
    probot.on("check_run.requested_action", accept(CheckRunEvent, check, onCheckAction));
    probot.on("check_run.rerequested", accept(CheckRunEvent, check, onCheckRerequest));
    probot.on(
      "issue_comment.created",
      accept(IssueCommentEvent, (p) => pullKey(repoOf(p), p.issue.number), onComment),
    );
  };

  return { app, idle: () => queue.idle(), failures: () => failures };
}

/** For `probot run bot/app.js` and other hosts that load an app function by its default export. */
export default createModelgate().app;
