import type { ApplicationFunction, Logger, Probot } from "probot";
import { z } from "zod";
import { describeError, UserError } from "../core/errors.js";
import { onComment } from "./chatops.js";
import { queueCheck } from "./checks.js";
import type { GitHub } from "./github.js";
import { onMergeGroup } from "./merge-queue.js";
import { onCheckAction, onCheckRerequest } from "./override.js";
import {
  CheckRunEvent,
  forkOf,
  IssueCommentEvent,
  MergeGroupEvent,
  PullRequestEvent,
  repoOf,
  WorkflowRunEvent,
} from "./payloads.js";
import { type Deps, onWorkflowRun, pullKey } from "./reports.js";
import { KeyedQueue, Ledger } from "./work.js";

export interface AppOptions {
  /** The login the bot comments as; by default `<app slug>[bot]`, asked of GET /app once. */
  botLogin?: string;
  /** The App's id: our check runs are the ones it made. Undefined inside a workflow. */
  appId?: number;
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
  const ledger = new Ledger();
  let log: Logger | undefined;
  let failures = 0;
  const queue = new KeyedQueue((error, key) => {
    if (error instanceof UserError) return log?.warn({ key }, error.message);
    failures++;
    log?.error({ key }, describeError(error).message);
  });
  const app: ApplicationFunction = (probot: Probot) => {
    log = probot.log.child({ name: "modelgate" });
    subscribe(
      probot,
      acceptor({ options, queue, ledger, logger: log, botLogin: botLoginOf(probot, options) }),
    );
  };
  return { app, idle: () => queue.idle(), failures: () => failures };
}

/** The login the bot comments as: given, or `<slug>[bot]` asked of GET /app once (again after a failure). */
function botLoginOf(probot: Probot, options: AppOptions): () => Promise<string> {
  let login: Promise<string> | undefined;
  return () => {
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
}

interface Intake {
  options: AppOptions;
  queue: KeyedQueue;
  ledger: Ledger;
  logger: Logger;
  botLogin: () => Promise<string>;
}

/** How one kind of delivery is taken in: its payload schema, its queue key, what work it asks for, the work. */
type Accept = <S extends z.ZodType>(
  schema: S,
  keyOf: (payload: z.infer<S>) => string,
  workOf: (payload: z.infer<S>) => string,
  work: (deps: Deps, payload: z.infer<S>) => Promise<void>,
) => (delivery: Delivery) => Promise<void>;

/**
 * Parses a delivery's payload (a malformed one is logged and dropped), then queues its work under its
 * key; the ledger makes a repeat of work already done a no-op, whatever the delivery id.
 */
function acceptor({ options, queue, ledger, logger, botLogin }: Intake): Accept {
  return (schema, keyOf, workOf, work) => async (delivery) => {
    const parsed = schema.safeParse(delivery.payload);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join(".");
      logger.warn({ delivery: delivery.id, field }, "payload ignored: a field is missing or malformed");
      return;
    }
    const payload = parsed.data as z.infer<typeof schema> & Parameters<typeof repoOf>[0];
    const deps: Deps = {
      gh: delivery.octokit,
      repo: repoOf(payload),
      queue,
      botLogin,
      appId: options.appId,
      now: options.now ?? (() => new Date()),
      logError: (message) => logger.error(message),
      logWarn: (message) => logger.warn(message),
      log: (message) => logger.info(message),
    };
    const key = `${deps.repo.owner}/${deps.repo.repo}:${workOf(payload)}`;
    void queue.push(keyOf(payload), async () => {
      const done = await ledger.once(key, () => work(deps, payload));
      if (done === "repeat")
        logger.info({ delivery: delivery.id, work: key }, "repeated delivery: already done");
    });
  };
}

/** The events the bot answers, each with its queue key (per pull request) and what it asks for. */
function subscribe(probot: Probot, accept: Accept): void {
  const pr = (p: PullRequestEvent) => pullKey(repoOf(p), p.pull_request.number);
  const check = (p: CheckRunEvent) => {
    const first = p.check_run.pull_requests[0];
    return first ? pullKey(repoOf(p), first.number) : `sha:${p.check_run.head_sha}`;
  };
  // What each delivery asks for, so a repeat under any delivery id is known (see Ledger).
  const press = (p: CheckRunEvent) =>
    `check:${p.check_run.id}:${p.requested_action?.identifier ?? "rerun"}:${p.sender.login}`;
  const head = (p: PullRequestEvent) => `pull:${p.pull_request.number}:${p.pull_request.head.sha}`;
  probot.on(
    ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"],
    accept(PullRequestEvent, pr, head, (deps, p) => queueCheck(deps.gh, deps.repo, p.pull_request.head.sha)),
  );
  probot.on(
    "workflow_run.completed",
    accept(
      WorkflowRunEvent,
      (p) => `run:${p.workflow_run.id}`,
      (p) => `run:${p.workflow_run.id}:${p.workflow_run.run_attempt}`,
      (deps, p) =>
        onWorkflowRun(deps, {
          ...p.workflow_run,
          head_branch: p.workflow_run.head_branch ?? null,
          head: forkOf(p.workflow_run),
        }),
    ),
  );
  const group = (p: MergeGroupEvent) => `group:${p.merge_group.head_sha}`;
  probot.on("merge_group.checks_requested", accept(MergeGroupEvent, group, group, onMergeGroup));
  probot.on("check_run.requested_action", accept(CheckRunEvent, check, press, onCheckAction));
  probot.on("check_run.rerequested", accept(CheckRunEvent, check, press, onCheckRerequest));
  const comment = (p: IssueCommentEvent) => pullKey(repoOf(p), p.issue.number);
  probot.on(
    "issue_comment.created",
    accept(IssueCommentEvent, comment, (p) => `comment:${p.comment.id}`, onComment),
  );
}

/** For `probot run bot/app.js` and other hosts that load an app function by its default export. */
export default createModelgate().app;
